package dev.leibniz.processor.emit;

import dev.leibniz.processor.ir.Variable;
import dev.leibniz.processor.ir.VariableFactory;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import javax.lang.model.SourceVersion;

/**
 * Gives every variable of one generated method a unique Java name: parameters keep theirs, sources locals keep
 * theirs unless taken, temporaries {@code t} are numbered {@code t1, t2, ...}, and an adjoint is named after its
 * variable: {@code dx} for {@code x}, {@code dLoss} for {@code loss}; a tangent of second order likewise, {@code vx}.
 */
final class JavaNames {
    private final Set<String> taken = new HashSet<>();
    private final Map<Variable, String> names = new HashMap<>();
    private int temporaries;

    /** Whether a variable has this name, which would obscure a class of the same simple name (JLS 6.4.2). */
    boolean isTaken(String name) {
        return taken.contains(name);
    }

    /** Claims {@code base} (or a numbered variant) for something that is not a variable of the IR. */
    String reserveName(String base) {
        String name = base;
        for (int n = 2; !free(name); n++) {
            name = base + n;
        }
        return take(name);
    }

    void reserve(Variable v) {
        taken.add(v.hint());
        names.put(v, v.hint());
    }

    String of(Variable v) {
        String name = names.get(v);
        if (name == null) {
            name = allocate(v);
            names.put(v, name);
        }
        return name;
    }

    private String allocate(Variable v) {
        if (v.role() == Variable.Role.TEMPORARY && v.hint().equals("t")) {
            String name;
            do {
                name = "t" + ++temporaries;
            } while (!free(name));
            return take(name);
        }
        String base = v.primal() == null ? v.hint()
                : v.role() == Variable.Role.ADJOINT ? VariableFactory.adjointName(of(v.primal()))
                : v.role() == Variable.Role.TANGENT ? VariableFactory.tangentName(of(v.primal())) : v.hint();
        if (free(base)) {
            return take(base);
        }
        String separator = Character.isDigit(base.charAt(base.length() - 1)) ? "_" : "";
        for (int n = 2; ; n++) {
            if (free(base + separator + n)) {
                return take(base + separator + n);
            }
        }
    }

    private boolean free(String name) {
        return !taken.contains(name) && SourceVersion.isName(name) && !name.equals("yield");
    }

    private String take(String name) {
        taken.add(name);
        return name;
    }
}
