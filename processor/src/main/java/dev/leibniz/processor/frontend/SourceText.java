package dev.leibniz.processor.frontend;

import com.sun.source.tree.CaseTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.ForLoopTree;
import com.sun.source.tree.IfTree;
import com.sun.source.tree.LineMap;
import com.sun.source.tree.SwitchExpressionTree;
import com.sun.source.tree.SwitchTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.WhileLoopTree;
import com.sun.source.util.SourcePositions;
import com.sun.source.util.Trees;
import dev.leibniz.processor.ir.SourcePos;
import java.io.IOException;
import java.util.regex.Pattern;

/** Positions and excerpts of one compilation unit's source, for diagnostics and generated comments. */
public final class SourceText implements SourcePos.Excerpts {
    private static final int MAX_EXCERPT = 100;

    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

    private final Declarations declarations;
    private final CompilationUnitTree unit;
    private final SourcePositions positions;
    private final LineMap lines;
    private final CharSequence content;

    SourceText(Trees trees, CompilationUnitTree unit, Declarations declarations) {
        this.declarations = declarations;
        this.unit = unit;
        this.positions = trees.getSourcePositions();
        this.lines = unit.getLineMap();
        this.content = readContent(unit);
    }

    private static CharSequence readContent(CompilationUnitTree unit) {
        try {
            return unit.getSourceFile().getCharContent(true);
        } catch (IOException | RuntimeException e) {
            return null; // excerpts become empty; positions still work
        }
    }

    /** Whether {@code element} is declared in the sources being compiled (not in a class file). */
    public boolean isInSources(javax.lang.model.element.Element element) {
        return declarations.isInSources(element);
    }

    /** The path of a declaration in the sources being compiled; {@code null} for one from a class file. */
    public com.sun.source.util.TreePath path(javax.lang.model.element.Element element) {
        return declarations.trees().getPath(element);
    }

    public CompilationUnitTree unit() {
        return unit;
    }

    public String fileName() {
        String name = unit.getSourceFile().getName();
        int slash = Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\'));
        return name.substring(slash + 1);
    }

    public SourcePos pos(Tree tree) {
        long start = positions.getStartPosition(unit, tree);
        if (start < 0 || lines == null) {
            return new SourcePos(tree, -1, -1, SourcePos.Excerpts.NONE);
        }
        return new SourcePos(tree, lines.getLineNumber(start), lines.getColumnNumber(start), this);
    }

    /** The exact source of a tree, such as a literal's digits; empty when the source is unavailable. */
    public String text(Tree tree) {
        long start = positions.getStartPosition(unit, tree);
        long end = positions.getEndPosition(unit, tree);
        if (content == null || start < 0 || end <= start || end > content.length()) {
            return tree.toString();
        }
        return content.subSequence((int) start, (int) end).toString();
    }

    /**
     * Where a statement's header ends: an {@code if}, a loop, a switch or a case shows its header, anything else all of
     * it.
     */
    private long headerEnd(Tree tree) {
        if (tree instanceof IfTree ifTree) {
            return positions.getEndPosition(unit, ifTree.getCondition());
        }
        if (tree instanceof WhileLoopTree loop) {
            return positions.getEndPosition(unit, loop.getCondition());
        }
        if (tree instanceof SwitchTree s) {
            return positions.getEndPosition(unit, s.getExpression());
        }
        if (tree instanceof SwitchExpressionTree s) {
            return positions.getEndPosition(unit, s.getExpression());
        }
        if (tree instanceof CaseTree c) {
            // case 1, 2 -> or case 1: without what follows
            Tree first = c.getCaseKind() == CaseTree.CaseKind.RULE ? c.getBody()
                    : c.getStatements().isEmpty() ? null : c.getStatements().get(0);
            long bodyStart = first == null ? -1 : positions.getStartPosition(unit, first);
            return content == null || bodyStart <= 0 ? positions.getEndPosition(unit, tree) : trimmedEnd(bodyStart);
        }
        if (tree instanceof ForLoopTree loop) {
            long bodyStart = positions.getStartPosition(unit, loop.getStatement());
            return content == null || bodyStart <= 0 ? positions.getEndPosition(unit, tree)
                    : trimmedEnd(bodyStart);
        }
        return positions.getEndPosition(unit, tree);
    }

    /** The position after the last non-blank character before {@code position}. */
    private long trimmedEnd(long position) {
        long p = position;
        while (p > 0 && Character.isWhitespace(content.charAt((int) p - 1))) {
            p--;
        }
        return p;
    }

    /** One line of source for a comment: an {@code if} shows its header, anything else the whole statement. */
    @Override
    public String excerpt(Tree tree) {
        long start = positions.getStartPosition(unit, tree);
        if (content == null || start < 0) {
            return "";
        }
        long end = headerEnd(tree);
        if (end <= start || end > content.length()) {
            return "";
        }
        String text = content.subSequence((int) start, (int) end).toString();
        text = WHITESPACE.matcher(text).replaceAll(" ").trim();
        // A backslash could start a unicode escape inside the generated line comment; double it.
        text = text.replace("\\", "\\\\");
        if (text.length() > MAX_EXCERPT) {
            text = text.substring(0, MAX_EXCERPT - 3) + "...";
        }
        return text;
    }
}
