package dev.leibniz.processor;

import dev.leibniz.processor.analysis.Activity;
import dev.leibniz.processor.analysis.DifferentiabilityCheck;
import dev.leibniz.processor.analysis.SecondOrderCheck;
import dev.leibniz.processor.frontend.Callees;
import dev.leibniz.processor.frontend.MethodTranslator;
import dev.leibniz.processor.frontend.Problems;
import dev.leibniz.processor.ir.Function;
import dev.leibniz.processor.ir.Variable;
import dev.leibniz.processor.transform.ForwardMode;
import dev.leibniz.processor.transform.LoopJumps;
import dev.leibniz.processor.transform.Lowering;
import dev.leibniz.processor.transform.Pullback;
import dev.leibniz.processor.transform.Pushforward;
import dev.leibniz.processor.transform.ReverseMode;
import dev.leibniz.processor.transform.SecondOrder;
import dev.leibniz.processor.transform.SingleExit;
import java.util.Optional;
import javax.lang.model.element.ExecutableElement;

/** Front end, analyses and transforms for one method, in order: the whole compiler in a dozen lines. */
final class MethodPipeline {
    private final MethodTranslator translator;

    MethodPipeline(MethodTranslator translator) {
        this.translator = translator;
    }

    /**
     * Runs the analyses over a function with placeholders, so that one compilation reports every problem of a
     * method. Best effort: if a placeholder confuses an analysis, the problems already found still stand.
     */
    private static void findMoreProblems(Function partial, Problems problems) {
        try {
            SingleExit.Result normalized = SingleExit.apply(partial);
            DifferentiabilityCheck.check(normalized.function(),
                    Activity.of(normalized.function(), normalized.result()), problems);
        } catch (RuntimeException ignored) {
            // the front end's problems are what the user needs first
        }
    }

    /**
     * A method's derivatives in both modes, and its second derivatives when it asks for them.
     *
     * @param hessian the Hessian-vector product, or {@code null} without {@code hessian = true}
     */
    record Derivatives(Pullback pullback, Pushforward pushforward, SecondOrder.HessianVector hessian) {
    }

    /** The method's derivatives, or empty when {@code problems} says why not. */
    Optional<Derivatives> differentiate(ExecutableElement method, Problems problems) {
        Optional<Function> translated = translator.translate(method, problems);
        if (translated.isEmpty()) {
            return Optional.empty();
        }
        if (!problems.isEmpty()) {
            findMoreProblems(translated.get(), problems);
            return Optional.empty();
        }
        SingleExit.Result normalized = SingleExit.apply(translated.get());
        Function structured = LoopJumps.apply(normalized.function(), normalized.returned());
        Activity activity = Activity.of(structured, normalized.result());
        DifferentiabilityCheck.check(structured, activity, problems);
        if (!problems.isEmpty()) {
            return Optional.empty();
        }
        boolean hessian = Callees.hessian(method);
        if (hessian) {
            SecondOrderCheck.check(structured, activity, problems);
            if (!problems.isEmpty()) {
                return Optional.empty();
            }
        }
        Function lowered = Lowering.apply(structured, activity);
        Activity loweredActivity = Activity.of(lowered, normalized.result());
        Pushforward pushforward = ForwardMode.differentiate(lowered, normalized.result(), loweredActivity);
        SecondOrder.HessianVector hessianVector = null;
        if (hessian) {
            Optional<SecondOrder.HessianVector> second = hessianVector(pushforward, normalized.result(),
                    loweredActivity, problems);
            if (second.isEmpty()) {
                return Optional.empty();
            }
            hessianVector = second.get();
        }
        return Optional.of(new Derivatives(ReverseMode.differentiate(lowered, normalized.result(), loweredActivity),
                pushforward, hessianVector));
    }

    /**
     * Reverse over forward: the differential, a method without returns or jumps, goes through the rest of the
     * pipeline and reverse mode like a method the user wrote.
     */
    private static Optional<SecondOrder.HessianVector> hessianVector(Pushforward pushforward, Variable result,
            Activity methodActivity, Problems problems) {
        SecondOrder.Differential differential = SecondOrder.differential(pushforward, result, methodActivity);
        Function structured = LoopJumps.apply(differential.function(), null);
        Activity activity = Activity.of(structured, differential.result());
        DifferentiabilityCheck.check(structured, activity, problems);
        if (!problems.isEmpty()) {
            return Optional.empty();
        }
        Function lowered = Lowering.apply(structured, activity);
        Pullback pullback = ReverseMode.differentiate(lowered, differential.result(),
                Activity.of(lowered, differential.result()));
        return Optional.of(SecondOrder.hessianVector(differential, pullback));
    }
}
