package dev.leibniz.processor.frontend;

import com.sun.source.tree.Tree;

/** A construct Leibniz cannot differentiate, anchored at the tree the user should look at. */
public record Problem(Tree tree, String message) {
}
