package dev.leibniz;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;

/**
 * The names of a static method's parameters as its source declares them. Reflection knows them only for a class
 * compiled with {@code -parameters}; otherwise they are read from the class file's local variable table, which
 * javac writes with {@code -g} (Maven's and Gradle's default). {@link GradientCheck} needs them to tell which
 * parameters a {@code wrt} names when their types alone do not say.
 */
final class ParameterNames {
    private ParameterNames() {
    }

    /** The names, or {@code null} when neither reflection nor the class file knows them. */
    static String[] of(Method method) {
        Parameter[] parameters = method.getParameters();
        if (parameters.length == 0 || parameters[0].isNamePresent()) {
            String[] names = new String[parameters.length];
            for (int i = 0; i < names.length; i++) {
                names[i] = parameters[i].getName();
            }
            return names;
        }
        Class<?> owner = method.getDeclaringClass();
        String file = owner.getName().substring(owner.getName().lastIndexOf('.') + 1) + ".class";
        try (InputStream in = owner.getResourceAsStream(file)) {
            return in == null ? null : fromLocalVariableTable(new DataInputStream(in), method);
        } catch (IOException | RuntimeException unreadable) {
            return null; // a class file this reader does not understand: the caller reports the names as unknown
        }
    }

    /** Walks the class file (JVMS 4) to the method's {@code LocalVariableTable}, where parameters start at pc 0. */
    private static String[] fromLocalVariableTable(DataInputStream in, Method method) throws IOException {
        in.readInt(); // magic
        in.readUnsignedShort(); // minor version
        in.readUnsignedShort(); // major version
        String[] utf8 = readConstantPool(in);
        in.readUnsignedShort(); // access flags
        in.readUnsignedShort(); // this class
        in.readUnsignedShort(); // super class
        in.skipNBytes(2L * in.readUnsignedShort()); // interfaces
        int fields = in.readUnsignedShort();
        for (int f = 0; f < fields; f++) {
            in.skipNBytes(6); // access flags, name, descriptor
            skipAttributes(in);
        }
        String descriptor = descriptor(method);
        int methods = in.readUnsignedShort();
        for (int m = 0; m < methods; m++) {
            in.readUnsignedShort(); // access flags
            String name = utf8[in.readUnsignedShort()];
            String methodDescriptor = utf8[in.readUnsignedShort()];
            if (!name.equals(method.getName()) || !methodDescriptor.equals(descriptor)) {
                skipAttributes(in);
                continue;
            }
            int attributes = in.readUnsignedShort();
            for (int a = 0; a < attributes; a++) {
                String attribute = utf8[in.readUnsignedShort()];
                int length = in.readInt();
                if (attribute.equals("Code")) {
                    return fromCode(in, utf8, method);
                }
                in.skipNBytes(length);
            }
            return null;
        }
        return null;
    }

    private static String[] fromCode(DataInputStream in, String[] utf8, Method method) throws IOException {
        in.skipNBytes(4); // max stack, max locals
        in.skipNBytes(in.readInt()); // the code
        in.skipNBytes(8L * in.readUnsignedShort()); // exception table
        Class<?>[] types = method.getParameterTypes();
        int[] slots = new int[types.length];
        for (int i = 1; i < types.length; i++) {
            boolean wide = types[i - 1] == double.class || types[i - 1] == long.class;
            slots[i] = slots[i - 1] + (wide ? 2 : 1);
        }
        String[] names = new String[types.length];
        int attributes = in.readUnsignedShort();
        for (int a = 0; a < attributes; a++) {
            String attribute = utf8[in.readUnsignedShort()];
            int length = in.readInt();
            if (!attribute.equals("LocalVariableTable")) {
                in.skipNBytes(length);
                continue;
            }
            int entries = in.readUnsignedShort();
            for (int e = 0; e < entries; e++) {
                int startPc = in.readUnsignedShort();
                in.readUnsignedShort(); // length
                String name = utf8[in.readUnsignedShort()];
                in.readUnsignedShort(); // descriptor
                int slot = in.readUnsignedShort();
                for (int i = 0; i < slots.length; i++) {
                    if (startPc == 0 && slots[i] == slot) {
                        names[i] = name;
                    }
                }
            }
        }
        for (String name : names) {
            if (name == null) {
                return null;
            }
        }
        return names;
    }

    /** The UTF-8 entries of the constant pool by index; {@code null} at the other indices. */
    private static String[] readConstantPool(DataInputStream in) throws IOException {
        int count = in.readUnsignedShort();
        String[] utf8 = new String[count];
        for (int i = 1; i < count; i++) {
            int tag = in.readUnsignedByte();
            switch (tag) {
                case 1 -> utf8[i] = in.readUTF();
                case 7, 8, 16, 19, 20 -> in.skipNBytes(2);
                case 15 -> in.skipNBytes(3);
                case 3, 4, 9, 10, 11, 12, 17, 18 -> in.skipNBytes(4);
                case 5, 6 -> {
                    in.skipNBytes(8);
                    i++; // a long or double takes two entries
                }
                default -> throw new IOException("constant pool tag " + tag);
            }
        }
        return utf8;
    }

    private static void skipAttributes(DataInputStream in) throws IOException {
        int attributes = in.readUnsignedShort();
        for (int a = 0; a < attributes; a++) {
            in.readUnsignedShort(); // name
            in.skipNBytes(Integer.toUnsignedLong(in.readInt()));
        }
    }

    private static String descriptor(Method method) {
        StringBuilder descriptor = new StringBuilder("(");
        for (Class<?> type : method.getParameterTypes()) {
            descriptor.append(type.descriptorString());
        }
        return descriptor.append(')').append(method.getReturnType().descriptorString()).toString();
    }
}
