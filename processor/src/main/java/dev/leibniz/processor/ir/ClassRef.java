package dev.leibniz.processor.ir;

import java.util.List;

/**
 * A class named in generated code: its package and its simple names from the top-level class inwards.
 */
public record ClassRef(String packageName, List<String> simpleNames) {
    public ClassRef {
        simpleNames = List.copyOf(simpleNames);
        if (simpleNames.isEmpty()) {
            throw new IllegalArgumentException("a class needs a name");
        }
    }

    public static ClassRef of(String packageName, String... simpleNames) {
        return new ClassRef(packageName, List.of(simpleNames));
    }

    public String simpleName() {
        return simpleNames.get(simpleNames.size() - 1);
    }

    public ClassRef nested(String simpleName) {
        var names = new java.util.ArrayList<>(simpleNames);
        names.add(simpleName);
        return new ClassRef(packageName, names);
    }

    public String canonicalName() {
        String nested = String.join(".", simpleNames);
        return packageName.isEmpty() ? nested : packageName + "." + nested;
    }

    @Override
    public String toString() {
        return canonicalName();
    }
}
