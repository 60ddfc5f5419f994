package dev.leibniz.processor.frontend;

import com.sun.source.tree.BlockTree;
import com.sun.source.tree.CatchTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.EnhancedForLoopTree;
import com.sun.source.tree.ForLoopTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.SwitchTree;
import com.sun.source.tree.TryTree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.TreeScanner;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The local variables and parameters of one method body, each given a key of its own, and every identifier that
 * names one resolved to it by Java's block scoping: two locals {@code double[] t} in sibling blocks are two
 * variables, though they share a name. Annotation processors see method bodies before javac attributes them, so the
 * trees carry no symbols to ask. A parameter's key is its name; a local's is its name, followed by {@code #n} when an
 * earlier declaration of the body had the name. An identifier that names no local (a field, a class) resolves to
 * nothing.
 */
final class LocalNames {
    private final Map<VariableTree, String> declared = new IdentityHashMap<>();
    private final Map<IdentifierTree, String> resolved = new IdentityHashMap<>();

    LocalNames(MethodTree method) {
        Set<String> used = new HashSet<>();
        Deque<Map<String, String>> scopes = new ArrayDeque<>();
        scopes.push(new HashMap<>());
        for (VariableTree p : method.getParameters()) {
            String name = p.getName().toString();
            used.add(name);
            declared.put(p, name);
            scopes.peek().put(name, name);
        }
        new TreeScanner<Void, Void>() {
            private Void scoped(Runnable inside) {
                scopes.push(new HashMap<>());
                try {
                    inside.run();
                } finally {
                    scopes.pop();
                }
                return null;
            }

            @Override
            public Void visitBlock(BlockTree t, Void unused) {
                return scoped(() -> super.visitBlock(t, unused));
            }

            @Override
            public Void visitForLoop(ForLoopTree t, Void unused) {
                return scoped(() -> super.visitForLoop(t, unused));
            }

            @Override
            public Void visitEnhancedForLoop(EnhancedForLoopTree t, Void unused) {
                return scoped(() -> super.visitEnhancedForLoop(t, unused));
            }

            // a local of one case group is in scope in the groups after it: the switch is the scope
            @Override
            public Void visitSwitch(SwitchTree t, Void unused) {
                return scoped(() -> super.visitSwitch(t, unused));
            }

            @Override
            public Void visitCatch(CatchTree t, Void unused) {
                return scoped(() -> super.visitCatch(t, unused));
            }

            @Override
            public Void visitTry(TryTree t, Void unused) {
                return scoped(() -> super.visitTry(t, unused));
            }

            @Override
            public Void visitLambdaExpression(LambdaExpressionTree t, Void unused) {
                return scoped(() -> super.visitLambdaExpression(t, unused));
            }

            @Override
            public Void visitClass(ClassTree t, Void unused) {
                return null; // a local or anonymous class: its own names, which no analysis here follows
            }

            @Override
            public Void visitVariable(VariableTree t, Void unused) {
                scan(t.getInitializer(), unused); // int x = x + 1 cannot read the new x; the old one, if any
                String name = t.getName().toString();
                String key = name;
                for (int k = 2; !used.add(key); k++) {
                    key = name + "#" + k;
                }
                declared.put(t, key);
                scopes.peek().put(name, key);
                return null;
            }

            @Override
            public Void visitIdentifier(IdentifierTree t, Void unused) {
                String name = t.getName().toString();
                for (Map<String, String> scope : scopes) {
                    String key = scope.get(name);
                    if (key != null) {
                        resolved.put(t, key);
                        break;
                    }
                }
                return null;
            }
        }.scan(method.getBody(), null);
    }

    /** The key of a parameter or local declaration of the method. */
    String key(VariableTree declaration) {
        return declared.getOrDefault(declaration, declaration.getName().toString());
    }

    /** The key of the local or parameter an identifier names, or its name if it names none. */
    String key(IdentifierTree id) {
        return resolved.getOrDefault(id, id.getName().toString());
    }

    /** Whether an identifier names a local variable or parameter of the method. */
    boolean isLocal(IdentifierTree id) {
        return resolved.containsKey(id);
    }
}
