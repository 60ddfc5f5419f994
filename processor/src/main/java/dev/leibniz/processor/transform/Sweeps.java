package dev.leibniz.processor.transform;

import dev.leibniz.processor.analysis.Activity;
import dev.leibniz.processor.analysis.ExprWalk;
import dev.leibniz.processor.analysis.WrittenParameters;
import dev.leibniz.processor.ir.ArrayType;
import dev.leibniz.processor.ir.Expr;
import dev.leibniz.processor.ir.Exprs;
import dev.leibniz.processor.ir.Function;
import dev.leibniz.processor.ir.PrimitiveType;
import dev.leibniz.processor.ir.SourcePos;
import dev.leibniz.processor.ir.Stmt;
import dev.leibniz.processor.ir.Variable;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** How both modes lay out the statements they generate: source comments, loop headers, initialised locals. */
final class Sweeps {
    private Sweeps() {
    }

    /**
     * {@code // Shapes.java:8: return 4.0 / 3.0 * Math.PI * a * b * c;} before a block generated for a source
     * statement, unless the enclosing block's comment already covers it (a statement split in several), or the
     * same comment already heads the statements just before (blocks of one source statement, one after another).
     */
    static void comment(Function function, SourcePos pos, SourcePos enclosing, List<Stmt> out) {
        if (pos.isKnown() && pos.line() > 0 && pos.tree() != enclosing.tree()) {
            Stmt.Comment comment = new Stmt.Comment(function.sourceFile() + ":" + pos.line() + ": " + pos.excerpt());
            if (!comment.equals(lastComment(out))) {
                out.add(comment);
            }
        }
    }

    /** The comment that heads the simple statements at the end of {@code out}, or {@code null}. */
    private static Stmt.Comment lastComment(List<Stmt> out) {
        for (int i = out.size() - 1; i >= 0; i--) {
            Stmt s = out.get(i);
            if (s instanceof Stmt.Comment c) {
                return c;
            }
            if (s instanceof Stmt.If || s instanceof Stmt.Loop) {
                return null;
            }
        }
        return null;
    }

    /**
     * The statements generated for one source statement, each carrying that statement's position (a named
     * intermediate carried its expression's): second order, which differentiates generated code again, then
     * comments the block as one.
     */
    static List<Stmt> at(SourcePos pos, List<Stmt> block) {
        List<Stmt> out = new java.util.ArrayList<>(block.size());
        for (Stmt s : block) {
            if (s instanceof Stmt.LocalDecl d && d.pos() != pos) {
                out.add(new Stmt.LocalDecl(d.variable(), d.init(), pos));
            } else if (s instanceof Stmt.Assign a && a.pos() != pos) {
                out.add(new Stmt.Assign(a.target(), a.value(), a.form(), pos));
            } else if (s instanceof Stmt.ElementAssign a && a.pos() != pos) {
                out.add(new Stmt.ElementAssign(a.array(), a.index(), a.value(), a.form(), pos));
            } else {
                out.add(s);
            }
        }
        return out;
    }

    /** Plain assignments and declarations of one type can stay in a {@code for} header, as the source wrote them. */
    static boolean fitsLoopHeader(List<Stmt> stmts) {
        return stmts.stream().allMatch(s -> s instanceof Stmt.Assign || s instanceof Stmt.LocalDecl)
                && stmts.stream().filter(s -> s instanceof Stmt.LocalDecl).map(s -> ((Stmt.LocalDecl) s).variable().type())
                        .distinct().count() <= 1
                && (stmts.stream().noneMatch(s -> s instanceof Stmt.LocalDecl)
                        || stmts.stream().allMatch(s -> s instanceof Stmt.LocalDecl));
    }

    /** The alias classes of the arrays whose elements a method writes. */
    static Set<Variable> writtenCells(Function function, Activity activity) {
        return writtenCells(function.body(), activity);
    }

    /**
     * The array parameters whose elements a method may write, through any alias, in declaration order: what the
     * caller sees written, followed statement by statement ({@link WrittenParameters}).
     */
    static List<Variable> writtenArrayParameters(Function function) {
        return WrittenParameters.of(function);
    }

    /**
     * The alias classes of the arrays whose elements {@code stmts} write, at any depth: by element assignments, and
     * by calls of methods that write into arrays they are given.
     */
    static Set<Variable> writtenCells(List<Stmt> stmts, Activity activity) {
        Set<Variable> cells = new HashSet<>();
        ExprWalk.statements(stmts, s -> {
            if (s instanceof Stmt.ElementAssign a && Exprs.arrayRoot(a.array()) != null) {
                cells.add(activity.cell(Exprs.arrayRoot(a.array())));
            }
            ExprWalk.ownExpressions(s).forEach(e -> ExprWalk.nodes(e, node -> {
                Exprs.writtenArguments(node).stream().map(Exprs::arrayRoot).filter(java.util.Objects::nonNull)
                        .forEach(root -> cells.add(activity.cell(root)));
            }));
        });
        return cells;
    }

    /** The variables {@code stmts} assign or declare, at any depth. */
    static Set<Variable> assignedVariables(List<Stmt> stmts) {
        Set<Variable> assigned = new HashSet<>();
        ExprWalk.statements(stmts, s -> {
            if (s instanceof Stmt.Assign a) {
                assigned.add(a.target());
            } else if (s instanceof Stmt.LocalDecl d) {
                assigned.add(d.variable());
            }
        });
        return assigned;
    }

    /**
     * A declaration without initialiser gets its type's zero: the source assigns it before any read on every path
     * (javac checked that), but generated code reads it on paths javac cannot correlate.
     */
    static Stmt initialized(Stmt s) {
        if (s instanceof Stmt.LocalDecl d && d.init() == null) {
            return new Stmt.LocalDecl(d.variable(), zero(d.variable()), d.pos());
        }
        return s;
    }

    /** The zero of a variable's type, {@code null} for arrays and records. */
    static Expr zero(Variable v) {
        if (!(v.type() instanceof PrimitiveType)) {
            return Expr.Literal.nullOf(v.type());
        }
        return Expr.Literal.zero((PrimitiveType) v.type());
    }
}
