package dev.leibniz.samples;

import dev.leibniz.Differentiable;

/**
 * Minimizing Rosenbrock's banana function with the derivatives Leibniz generates: Newton's method, which uses the
 * Hessian ({@code hessian = true}), next to gradient descent, which uses the gradient alone.
 *
 * <p>The minimum is 0 at (1, 1), at the end of a long, narrow, curved valley. Gradient descent follows the
 * gradient, which points across the valley much more than along it, so it zigzags and takes thousands of steps;
 * Newton's method rescales the step by the inverse curvature and follows the valley in a few dozen at most.
 */
public final class Optimization {
    /** What a minimization reached. */
    public record Result(double x, double y, double value, int iterations, boolean converged) {
    }

    private Optimization() {
    }

    /** Rosenbrock's function, (1 - x)^2 + 100 (y - x^2)^2: its minimum is 0 at (1, 1). */
    @Differentiable(hessian = true)
    public static double rosenbrock(double x, double y) {
        double a = 1 - x;
        double b = y - x * x;
        return a * a + 100 * b * b;
    }

    /**
     * Newton's method with a backtracking line search: the step solves {@code H p = -g} with the generated Hessian
     * and gradient, and is halved until the function decreases enough (Armijo's condition); where the Hessian is not
     * positive definite the step is the steepest descent one instead. Stops when the gradient's norm is below
     * {@code tolerance}.
     */
    public static Result newton(double x, double y, double tolerance, int maxIterations) {
        for (int k = 0; k < maxIterations; k++) {
            OptimizationGradient.Rosenbrock g = OptimizationGradient.rosenbrock(x, y);
            if (Math.hypot(g.x(), g.y()) < tolerance) {
                return new Result(x, y, g.value(), k, true);
            }
            double[][] h = OptimizationGradient.rosenbrockHessian(x, y);
            double det = h[0][0] * h[1][1] - h[0][1] * h[1][0];
            double px;
            double py;
            if (h[0][0] > 0 && det > 0) {
                px = -(h[1][1] * g.x() - h[0][1] * g.y()) / det;
                py = -(h[0][0] * g.y() - h[1][0] * g.x()) / det;
            } else {
                px = -g.x();
                py = -g.y();
            }
            double t = backtrack(x, y, g, px, py);
            x += t * px;
            y += t * py;
        }
        return finish(x, y, maxIterations, tolerance);
    }

    /**
     * Gradient descent with the same backtracking line search, along {@code -g}: each step starts from length 1 and
     * is halved until the function decreases enough. Stops when the gradient's norm is below {@code tolerance}.
     */
    public static Result gradientDescent(double x, double y, double tolerance, int maxIterations) {
        for (int k = 0; k < maxIterations; k++) {
            OptimizationGradient.Rosenbrock g = OptimizationGradient.rosenbrock(x, y);
            if (Math.hypot(g.x(), g.y()) < tolerance) {
                return new Result(x, y, g.value(), k, true);
            }
            double t = backtrack(x, y, g, -g.x(), -g.y());
            x -= t * g.x();
            y -= t * g.y();
        }
        return finish(x, y, maxIterations, tolerance);
    }

    /** The step length along (px, py): 1, halved until Armijo's sufficient decrease holds. */
    private static double backtrack(double x, double y, OptimizationGradient.Rosenbrock g, double px, double py) {
        double slope = g.x() * px + g.y() * py;
        double t = 1;
        while (rosenbrock(x + t * px, y + t * py) > g.value() + 1e-4 * t * slope && t > 1e-12) {
            t /= 2;
        }
        return t;
    }

    private static Result finish(double x, double y, int iterations, double tolerance) {
        OptimizationGradient.Rosenbrock g = OptimizationGradient.rosenbrock(x, y);
        return new Result(x, y, g.value(), iterations, Math.hypot(g.x(), g.y()) < tolerance);
    }
}
