package dev.leibniz.processor.ir;

import com.sun.source.tree.Tree;

/**
 * Where an IR node came from: the javac tree (for diagnostics), its line and column, and a one-line excerpt of
 * the source for the comments in generated code. Nodes the transforms create carry {@link #NONE}.
 */
public record SourcePos(Tree tree, long line, long column, String excerpt) {
    public static final SourcePos NONE = new SourcePos(null, -1, -1, "");

    public boolean isKnown() {
        return tree != null;
    }
}
