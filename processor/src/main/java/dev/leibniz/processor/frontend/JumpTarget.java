package dev.leibniz.processor.frontend;

import com.sun.source.tree.ExpressionTree;
import dev.leibniz.processor.ir.Expr;
import dev.leibniz.processor.ir.SourcePos;
import dev.leibniz.processor.ir.Stmt;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a {@code break}, {@code continue} or {@code yield} inside a method body can leave: a loop, or a switch being
 * desugared. A switch has a label of its own that no source label can spell ({@code switch#1}); its breaks become
 * {@code Stmt.Break}s with that label, which {@link SwitchExits} removes before any later stage sees them. A
 * {@code yield} is such a break that also hands over a value.
 *
 * @param label a loop's source label ({@code null} when it has none), or a switch's own label
 * @param yields the value each break of a switch expression hands over, by identity (fall-through copies a
 *     {@code yield} into several entries, as equal records)
 * @param values the same values, in the order they were translated
 */
record JumpTarget(Kind kind, String label, Map<Stmt.Break, Yield> yields, List<Yield> values) {
    enum Kind {
        LOOP,
        SWITCH_STATEMENT,
        SWITCH_EXPRESSION
    }

    /** The value a {@code yield} (or an arm {@code case 1 -> e;}) hands over, and where the source writes it. */
    record Yield(Expr value, ExpressionTree tree, SourcePos pos) {
    }

    static JumpTarget loop(String label) {
        return new JumpTarget(Kind.LOOP, label, Map.of(), List.of());
    }

    static JumpTarget ofSwitch(Kind kind, String label) {
        return new JumpTarget(kind, label, new IdentityHashMap<>(), new ArrayList<>());
    }

    boolean isSwitch() {
        return kind != Kind.LOOP;
    }

    /** The break that leaves this switch expression with {@code value}. */
    Stmt.Break yieldBreak(Yield value) {
        Stmt.Break leave = new Stmt.Break(label, value.pos());
        yields.put(leave, value);
        values.add(value);
        return leave;
    }
}
