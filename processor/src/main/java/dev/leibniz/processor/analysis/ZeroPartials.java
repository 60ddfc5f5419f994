package dev.leibniz.processor.analysis;

import dev.leibniz.processor.ir.Expr;
import dev.leibniz.processor.ir.Function;
import dev.leibniz.processor.ir.Variable;
import java.util.ArrayList;
import java.util.List;

/**
 * The differentiated parameters whose partial is identically zero: no derivative can flow from them to the result,
 * because activity analysis finds them not <em>useful</em> ({@link Activity}). Activity over-approximates what is
 * useful (flow-insensitively, arrays as whole alias classes, every {@code ?:} arm and branch), so a parameter it
 * finds useless certainly is: it is never read, or read only where derivatives do not flow (conditions, indices,
 * integer conversions, piecewise-constant functions, {@code Leibniz.noDerivative}, opaque calls whose results are
 * constants), or only into values the result does not depend on. Its gradient component is then exactly zero, at
 * every point. A parameter that might contribute a partial that cancels ({@code x - x}) is not found: the analysis
 * never guesses.
 */
public final class ZeroPartials {
    private ZeroPartials() {
    }

    /**
     * A differentiated parameter whose partial is always zero.
     *
     * @param index its position among the method's parameters
     * @param read whether the method reads it at all (as opposed to never naming it but to assign it)
     */
    public record Parameter(int index, String name, boolean read) {
    }

    /**
     * The differentiated parameters of {@code source} (the front end's function) that are useful neither to the
     * normalised function ({@code structured}, before lowering) nor to the lowered one, by their activities: the
     * gradient Leibniz generates has an adjoint only for active variables, so such a component stays exactly 0.
     */
    public static List<Parameter> of(Function source, Function structured, Activity activity, Function lowered,
            Activity loweredActivity) {
        int n = source.parameters().size();
        if (structured.parameters().size() != n || lowered.parameters().size() != n) {
            return List.of(); // a transform that changed the parameters: say nothing rather than guess
        }
        List<Parameter> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (!source.differentiated().get(i) || !structured.differentiated().get(i)
                    || !lowered.differentiated().get(i)) {
                continue;
            }
            if (activity.isUseful(structured.parameters().get(i))
                    || loweredActivity.isUseful(lowered.parameters().get(i))
                    || !carriesDerivatives(structured.parameters().get(i))) {
                continue;
            }
            Variable p = source.parameters().get(i);
            out.add(new Parameter(i, p.hint(), reads(source, p)));
        }
        return out;
    }

    private static boolean carriesDerivatives(Variable v) {
        return v.isReal() || v.type() instanceof dev.leibniz.processor.ir.ArrayType a && a.carriesDerivatives();
    }

    /** Whether any expression of {@code function} names {@code p} (an assignment's target is no read). */
    private static boolean reads(Function function, Variable p) {
        boolean[] found = {false};
        ExprWalk.statements(function.body(), s -> ExprWalk.ownExpressions(s).forEach(e -> ExprWalk.nodes(e, node -> {
            if (node instanceof Expr.Ref r && r.variable().equals(p)) {
                found[0] = true;
            }
        })));
        return found[0];
    }
}
