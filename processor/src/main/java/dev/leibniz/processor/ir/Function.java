package dev.leibniz.processor.ir;

import java.util.List;

/**
 * A {@code @Differentiable} method in IR form.
 *
 * @param owner the class that declares it
 * @param name the method's name
 * @param sourceFile the simple name of the source file, for comments in generated code
 * @param parameters the parameters in declaration order
 * @param differentiated for each parameter, whether the gradient has a component for it
 * @param body the statements
 * @param variables the factory that made the method's variables, for transforms that add more
 * @param suppressions the javac lint keys the generated class must suppress because of what it names
 *     ({@code deprecation}, {@code removal}, {@code auxiliaryclass})
 */
public record Function(
        ClassRef owner,
        String name,
        String sourceFile,
        List<Variable> parameters,
        List<Boolean> differentiated,
        List<Stmt> body,
        VariableFactory variables,
        SourcePos pos,
        java.util.Set<String> suppressions) {

    public Function {
        parameters = List.copyOf(parameters);
        differentiated = List.copyOf(differentiated);
        body = List.copyOf(body);
        suppressions = java.util.Set.copyOf(suppressions);
    }

    public Function withBody(List<Stmt> newBody) {
        return new Function(owner, name, sourceFile, parameters, differentiated, newBody, variables, pos,
                suppressions);
    }

    /**
     * The static final arrays the method reads (constant data): the locals declared on entry from a field read
     * ({@code double[] y = Data.Y;}), with those reads.
     */
    public java.util.Map<Variable, Expr.FieldRef> constantArrays() {
        java.util.Map<Variable, Expr.FieldRef> out = new java.util.LinkedHashMap<>();
        for (Stmt s : body) {
            if (s instanceof Stmt.LocalDecl d && d.init() instanceof Expr.FieldRef read
                    && read.type() instanceof ArrayType) {
                out.put(d.variable(), read);
            }
        }
        return out;
    }

    /** The positions of the differentiated parameters. */
    public List<Integer> differentiatedIndices() {
        List<Integer> result = new java.util.ArrayList<>();
        for (int i = 0; i < parameters.size(); i++) {
            if (differentiated.get(i)) {
                result.add(i);
            }
        }
        return result;
    }

    public List<Variable> differentiatedParameters() {
        List<Variable> result = new java.util.ArrayList<>();
        for (int i = 0; i < parameters.size(); i++) {
            if (differentiated.get(i)) {
                result.add(parameters.get(i));
            }
        }
        return result;
    }
}
