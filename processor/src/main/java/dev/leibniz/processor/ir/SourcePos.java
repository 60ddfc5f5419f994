package dev.leibniz.processor.ir;

import com.sun.source.tree.Tree;

/**
 * Where an IR node came from: the javac tree (for diagnostics), its line and column, and, through {@code source},
 * a one-line excerpt of the source for the comments in generated code. Nodes the transforms create carry
 * {@link #NONE}.
 */
public record SourcePos(Tree tree, long line, long column, Excerpts source) {
    public static final SourcePos NONE = new SourcePos(null, -1, -1, Excerpts.NONE);

    /** The source of trees as one line; found only for the few trees whose excerpt a comment shows. */
    public interface Excerpts {
        Excerpts NONE = tree -> "";

        String excerpt(Tree tree);
    }

    public boolean isKnown() {
        return tree != null;
    }

    public String excerpt() {
        return tree == null ? "" : source.excerpt(tree);
    }
}
