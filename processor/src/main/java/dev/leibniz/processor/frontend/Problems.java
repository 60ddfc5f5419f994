package dev.leibniz.processor.frontend;

import com.sun.source.tree.Tree;
import dev.leibniz.processor.ir.SourcePos;
import java.util.ArrayList;
import java.util.List;

/** Collects the problems found in one method, so that a user sees all of them in one compilation. */
public final class Problems {
    private final List<Problem> problems = new ArrayList<>();

    /** Reports a problem once: code a switch's fall-through repeats is translated, and checked, more than once. */
    public void report(Tree tree, String message) {
        Problem problem = new Problem(tree, message);
        if (!problems.contains(problem)) {
            problems.add(problem);
        }
    }

    public void report(SourcePos pos, String message) {
        report(pos.tree(), message);
    }

    /** How many problems were reported so far: a construct can tell whether its parts added any. */
    public int size() {
        return problems.size();
    }

    public boolean isEmpty() {
        return problems.isEmpty();
    }

    public List<Problem> all() {
        return List.copyOf(problems);
    }
}
