package dev.leibniz.processor.frontend;

import dev.leibniz.processor.ir.Variable;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** The block-structured scopes of a method body's parameters and locals. */
final class LocalScopes {
    private final Deque<Map<String, Variable>> scopes = new ArrayDeque<>();

    LocalScopes() {
        push();
    }

    void push() {
        scopes.push(new HashMap<>());
    }

    void pop() {
        scopes.pop();
    }

    void declare(String name, Variable variable) {
        scopes.peek().put(name, variable);
    }

    Optional<Variable> lookup(String name) {
        for (Map<String, Variable> scope : scopes) {
            Variable v = scope.get(name);
            if (v != null) {
                return Optional.of(v);
            }
        }
        return Optional.empty();
    }
}
