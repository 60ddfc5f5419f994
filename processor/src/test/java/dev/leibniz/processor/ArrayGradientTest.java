package dev.leibniz.processor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.leibniz.Tape;
import dev.leibniz.processor.testing.ArrayGradientCheck;
import dev.leibniz.processor.testing.CompiledOnce;
import java.lang.reflect.Method;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Loops over arrays: {@code double[]} and {@code double[][]} parameters and locals, integer and boolean arrays as
 * inputs, element reads and writes, aliasing, writes into parameter arrays, early exits, trip counts that depend on
 * differentiated values, classic numeric kernels, and calls with array arguments. Every method is checked by
 * {@link ArrayGradientCheck}: each element's partial against central differences, the value and the arrays left
 * behind bit for bit against the original, the pullback accumulating into its buffers, and the Accumulate form
 * against the record. Points are chosen away from where a branch or a trip count changes.
 */
class ArrayGradientTest {
    private static final String CLASS = "com.example.Kernels";

    private static final String SOURCE = """
            package com.example;

            import dev.leibniz.Differentiable;

            public final class Kernels {
                private Kernels() {
                }

                @Differentiable
                public static double sum(double[] x) {
                    double s = 0;
                    for (double v : x) {
                        s += v;
                    }
                    return s;
                }

                @Differentiable
                public static double dot(double[] a, double[] b) {
                    double s = 0;
                    for (int i = 0; i < a.length; i++) {
                        s += a[i] * b[i];
                    }
                    return s;
                }

                /** The new array's lengths read the array it replaces. */
                @Differentiable(wrt = "coef")
                public static double replacedByAnArrayShapedFromItself(double[] coef) {
                    double[][] g = {{1.0, 0.25}, {coef[1], 1.0}, {1.0, 1.0}};
                    g = new double[1][g.length];
                    g[0][1] = coef[0] * coef[1];
                    return 3 + Math.atan(g[0][1]) + g[0][2];
                }

                /** The second write overwrites an element the first one's derivative reads. */
                @Differentiable
                public static double constantOverwritesAnElementReadEarlier(double[] coef) {
                    coef[2] = 2.0 - Math.cos(coef[3]);
                    coef[3] = 1.0;
                    return coef[2];
                }

                @Differentiable
                static double squareOfFirst(double[] p) {
                    return p[0] * p[0];
                }

                /** The callee reads the element this statement then overwrites. */
                @Differentiable
                public static double elementOverwrittenWithACallOnItsArray(double[] p) {
                    p[0] = squareOfFirst(p);
                    return p[0] + p[1];
                }

                @Differentiable
                public static double rosenbrock(double[] x) {
                    double f = 0;
                    for (int i = 0; i + 1 < x.length; i++) {
                        double a = x[i + 1] - x[i] * x[i];
                        double b = 1 - x[i];
                        f += 100 * a * a + b * b;
                    }
                    return f;
                }

                @Differentiable
                public static double matVecThenDot(double[][] m, double[] v, double[] w) {
                    double[] y = new double[m.length];
                    for (int i = 0; i < m.length; i++) {
                        for (int j = 0; j < v.length; j++) {
                            y[i] += m[i][j] * v[j];
                        }
                    }
                    double s = 0;
                    for (int i = 0; i < y.length; i++) {
                        s += w[i] * Math.tanh(y[i]);
                    }
                    return s;
                }

                @Differentiable
                public static double softmaxCrossEntropy(double[] logits, int label) {
                    double max = logits[0];
                    for (int i = 1; i < logits.length; i++) {
                        if (logits[i] > max) {
                            max = logits[i];
                        }
                    }
                    double[] p = new double[logits.length];
                    double z = 0;
                    for (int i = 0; i < logits.length; i++) {
                        p[i] = Math.exp(logits[i] - max);
                        z += p[i];
                    }
                    for (int i = 0; i < p.length; i++) {
                        p[i] /= z;
                    }
                    return -Math.log(p[label]);
                }

                @Differentiable
                public static double logSumExp(double[] x) {
                    double m = Double.NEGATIVE_INFINITY;
                    for (double v : x) {
                        m = Math.max(m, v);
                    }
                    double s = 0;
                    for (double v : x) {
                        s += Math.exp(v - m);
                    }
                    return m + Math.log(s);
                }

                @Differentiable
                public static double horner(double[] c, double x) {
                    double p = 0;
                    for (int k = c.length - 1; k >= 0; k--) {
                        p = p * x + c[k];
                    }
                    return p;
                }

                @Differentiable
                public static double laplacianEnergy(double[] u, double h) {
                    int n = u.length;
                    double[] lap = new double[n];
                    for (int i = 1; i < n - 1; i++) {
                        lap[i] = (u[i - 1] - 2 * u[i] + u[i + 1]) / (h * h);
                    }
                    double e = 0;
                    for (int i = 1; i < n - 1; i++) {
                        e += 0.5 * lap[i] * lap[i] * h;
                    }
                    return e;
                }

                @Differentiable
                public static double eulerOscillator(double[] p, double[] y0, int steps, double dt) {
                    double[] y = {y0[0], y0[1]};
                    for (int s = 0; s < steps; s++) {
                        double x = y[0];
                        double v = y[1];
                        y[0] = x + dt * v;
                        y[1] = v + dt * (-p[0] * x - p[1] * v);
                    }
                    return y[0] * y[0] + 0.5 * y[1] * y[1];
                }

                @Differentiable
                public static double rk4Oscillator(double k, double c, double x0, double v0, int steps, double dt) {
                    double[] y = {x0, v0};
                    double[][] kk = new double[4][2];
                    for (int s = 0; s < steps; s++) {
                        for (int stage = 0; stage < 4; stage++) {
                            double w = stage == 0 ? 0 : stage == 3 ? dt : dt / 2;
                            double x = y[0];
                            double v = y[1];
                            if (stage > 0) {
                                x += w * kk[stage - 1][0];
                                v += w * kk[stage - 1][1];
                            }
                            kk[stage][0] = v;
                            kk[stage][1] = -k * x - c * v;
                        }
                        for (int d = 0; d < 2; d++) {
                            y[d] += dt / 6 * (kk[0][d] + 2 * kk[1][d] + 2 * kk[2][d] + kk[3][d]);
                        }
                    }
                    return y[0] + 0.25 * y[1];
                }

                @Differentiable(wrt = {"w1", "b1", "w2", "b2"})
                public static double mlpLoss(double[][] w1, double[] b1, double[] w2, double b2, double[][] xs, double[] ys) {
                    double loss = 0;
                    double[] h = new double[b1.length];
                    for (int n = 0; n < xs.length; n++) {
                        for (int i = 0; i < h.length; i++) {
                            double a = b1[i];
                            for (int j = 0; j < xs[n].length; j++) {
                                a += w1[i][j] * xs[n][j];
                            }
                            h[i] = Math.tanh(a);
                        }
                        double out = b2;
                        for (int i = 0; i < h.length; i++) {
                            out += w2[i] * h[i];
                        }
                        double r = out - ys[n];
                        loss += r * r;
                    }
                    return loss / xs.length;
                }

                @Differentiable
                public static double cumulativeSums(double[] x) {
                    double[] c = new double[x.length];
                    c[0] = x[0];
                    for (int i = 1; i < x.length; i++) {
                        c[i] = c[i - 1] + x[i];
                    }
                    double s = 0;
                    for (double v : c) {
                        s += v * v;
                    }
                    return s;
                }

                @Differentiable
                public static double bubbleSortWeighted(double[] x) {
                    double[] s = new double[x.length];
                    for (int i = 0; i < x.length; i++) {
                        s[i] = x[i];
                    }
                    for (int pass = 0; pass < s.length - 1; pass++) {
                        for (int i = 0; i + 1 < s.length - pass; i++) {
                            if (s[i] > s[i + 1]) {
                                double t = s[i];
                                s[i] = s[i + 1];
                                s[i + 1] = t;
                            }
                        }
                    }
                    double r = 0;
                    for (int i = 0; i < s.length; i++) {
                        r += (i + 1) * s[i] * s[i];
                    }
                    return r;
                }

                @Differentiable
                public static double argmaxThenUse(double[] x, double[] w) {
                    int best = 0;
                    double max = x[0];
                    for (int i = 1; i < x.length; i++) {
                        if (x[i] > max) {
                            max = x[i];
                            best = i;
                        }
                    }
                    return max * w[best] + x[(best + 1) % x.length];
                }

                @Differentiable
                public static double gather(double[] x, int[] idx) {
                    double s = 0;
                    for (int k = 0; k < idx.length; k++) {
                        s += (k + 1) * x[idx[k]] * x[idx[k]];
                    }
                    return s;
                }

                @Differentiable
                public static double maskedSum(double[] x, boolean[] mask) {
                    double s = 1;
                    for (int i = 0; i < x.length; i++) {
                        if (mask[i]) {
                            s *= x[i];
                        } else {
                            s += Math.sin(x[i]);
                        }
                    }
                    return s;
                }

                @Differentiable
                public static double forOverInts(double[] x, int[] idx, long[] weights) {
                    double s = 0;
                    int k = 0;
                    for (int i : idx) {
                        s += weights[k] * x[i] * x[i];
                        k++;
                    }
                    return s;
                }

                @Differentiable
                public static double rowsEnhancedFor(double[][] m) {
                    double s = 0;
                    for (double[] row : m) {
                        double r = 0;
                        for (double v : row) {
                            r += v * v;
                        }
                        s += Math.sqrt(r);
                    }
                    return s;
                }

                @Differentiable
                public static double squaredDifferences(double[] x) {
                    double s = 0;
                    for (int i = 0; i < x.length - 1; i++) {
                        double d = x[i + 1] - x[i];
                        s += d * d;
                    }
                    return s * x.length;
                }

                @Differentiable
                public static double local2D(double a, double b) {
                    double[][] m = new double[2][3];
                    for (int i = 0; i < 2; i++) {
                        for (int j = 0; j < 3; j++) {
                            m[i][j] = (i + 1) * a + (j - 1) * b * a;
                        }
                    }
                    return m[0][0] * m[1][2] - m[0][1] * m[1][1] + m[0][2];
                }

                @Differentiable
                public static double initialisers(double a, double b, double c) {
                    double[] v = {a, b * c, Math.sin(a)};
                    double[][] m = {{a, b}, {c, a * b}};
                    double det = m[0][0] * m[1][1] - m[0][1] * m[1][0];
                    return det * v[1] + v[2] * v[0];
                }

                @Differentiable
                public static double compoundWrites(double[] x) {
                    double[] s = new double[x.length];
                    for (int i = 0; i < x.length; i++) {
                        s[i] = x[i];
                        s[i] += 1.5 * x[i];
                        s[i] *= x[i];
                        s[i] -= 0.25;
                        s[i] /= 1 + x[i] * x[i];
                    }
                    double r = 0;
                    for (double v : s) {
                        r += v;
                    }
                    return r;
                }

                @Differentiable
                public static double sameElementManyTimes(double[] x, double r) {
                    double[] acc = new double[1];
                    for (int i = 0; i < x.length; i++) {
                        acc[0] = acc[0] * r + Math.cos(x[i] * acc[0]);
                    }
                    return acc[0];
                }

                @Differentiable
                public static double prefixProducts(double[] x, double scale) {
                    double[] p = new double[x.length];
                    p[0] = x[0];
                    for (int i = 1; i < x.length; i++) {
                        p[i] = p[i - 1] * x[i] * scale;
                    }
                    double s = 0;
                    for (double v : p) {
                        s += v;
                    }
                    return s;
                }

                @Differentiable
                public static double swapElements(double[] x) {
                    double[] s = {x[0], x[1], x[2], x[3]};
                    for (int k = 0; k < 2; k++) {
                        int i = 2 * k;
                        double t = s[i];
                        s[i] = s[i + 1];
                        s[i + 1] = t * s[i];
                    }
                    return s[0] * 1 + s[1] * 2 + s[2] * 3 + s[3] * 4;
                }

                @Differentiable
                public static double aliasRowOfLocal(double[] x) {
                    double[][] l = new double[2][2];
                    double[] r = l[1];
                    r[0] = x[0] * x[1];
                    r[1] = r[0] + x[0];
                    l[0][0] = r[1] * x[1];
                    return l[1][0] + l[1][1] * l[0][0];
                }

                @Differentiable
                public static double aliasParameter(double[] x) {
                    double[] y = x;
                    y[0] = y[0] * y[1];
                    return x[0] + y[1] * x[0];
                }

                @Differentiable
                public static double aliasRowOfParameter(double[][] m, double s) {
                    double t = 0;
                    for (int i = 0; i < m.length; i++) {
                        double[] r = m[i];
                        r[0] = r[0] * s + r[r.length - 1];
                        t += r[0] * m[i][0];
                    }
                    return t;
                }

                @Differentiable
                public static double squareInPlace(double[] x) {
                    double s = 0;
                    for (int i = 0; i < x.length; i++) {
                        x[i] = x[i] * x[i];
                        s += x[i];
                    }
                    return s * x[0];
                }

                @Differentiable
                public static double normalizeInPlace(double[] x) {
                    double n = 0;
                    for (double v : x) {
                        n += v * v;
                    }
                    n = Math.sqrt(n);
                    for (int i = 0; i < x.length; i++) {
                        x[i] /= n;
                    }
                    return x[0] + 2 * x[x.length - 1];
                }

                @Differentiable
                public static double inPlaceRecurrence2D(double[][] m) {
                    for (int i = 1; i < m.length; i++) {
                        for (int j = 0; j < m[i].length; j++) {
                            m[i][j] += 0.5 * m[i - 1][j] * m[i][j];
                        }
                    }
                    double s = 0;
                    for (double[] row : m) {
                        for (double v : row) {
                            s += v;
                        }
                    }
                    return s;
                }

                @Differentiable
                public static double breakOnThreshold(double[][] m, double limit) {
                    double s = 0;
                    search:
                    for (int i = 0; i < m.length; i++) {
                        for (int j = 0; j < m[i].length; j++) {
                            s += m[i][j] * m[i][j];
                            if (s > limit) {
                                break search;
                            }
                        }
                        s *= 0.9;
                    }
                    return s * limit;
                }

                @Differentiable
                public static double continueSkipsNegatives(double[] x) {
                    double s = 0;
                    for (int i = 0; i < x.length; i++) {
                        if (x[i] < 0) {
                            continue;
                        }
                        s += Math.log1p(x[i]) * (i + 1);
                    }
                    return s;
                }

                @Differentiable
                public static double returnInsideNestedLoops(double[][] m, double t) {
                    double[] acc = new double[m.length];
                    for (int i = 0; i < m.length; i++) {
                        for (int j = 0; j < m[i].length; j++) {
                            acc[i] += m[i][j] * t;
                            if (acc[i] > 3) {
                                return acc[i] * acc[i] + t;
                            }
                        }
                    }
                    return acc[0] - acc[acc.length - 1];
                }

                @Differentiable
                public static double labelledContinueOverRows(double[][] m, double x) {
                    double s = 0;
                    rows:
                    for (double[] row : m) {
                        double p = 1;
                        for (double v : row) {
                            p *= v + x;
                            if (p < 0) {
                                continue rows;
                            }
                        }
                        s += p;
                    }
                    return s;
                }

                @Differentiable
                public static double sumUntilThreshold(double[] x, double threshold) {
                    double s = 0;
                    int i = 0;
                    while (s < threshold && i < x.length) {
                        s += x[i] * x[i];
                        i++;
                    }
                    return s * i + threshold;
                }

                @Differentiable
                public static double halveEachUntilSmall(double[] x) {
                    double[] y = new double[x.length];
                    double s = 0;
                    for (int i = 0; i < x.length; i++) {
                        y[i] = x[i];
                        while (y[i] > 1) {
                            y[i] /= 2;
                        }
                        s += y[i] * y[i];
                    }
                    return s;
                }

                @Differentiable
                public static double callDotSameArrayTwice(double[] x, double[] y) {
                    return dot(x, y) * dot(x, x);
                }

                @Differentiable
                public static double callOnRows(double[][] m, double[] v) {
                    double s = 0;
                    for (int i = 0; i < m.length; i++) {
                        double r = dot(m[i], v);
                        s += r * r;
                    }
                    return s;
                }

                @Differentiable(wrt = {"a"})
                public static double weightedNorm(double[] a, double[] weights) {
                    double s = 0;
                    for (int i = 0; i < a.length; i++) {
                        s += weights[i] * a[i] * a[i];
                    }
                    return s;
                }

                @Differentiable(wrt = {"x"})
                public static double callCalleeWithWrt(double[] x, double[] weights) {
                    return Math.sqrt(weightedNorm(x, weights));
                }

                @Differentiable
                public static double mixed(double[] a, double s, int k) {
                    return a[k] * s + Math.sin(s * a[0]);
                }

                @Differentiable
                public static double callMixed(double[][] m, double s) {
                    double r = 0;
                    for (int i = 0; i < m.length; i++) {
                        r += mixed(m[i], s * i + 1, i % m[i].length);
                    }
                    return r;
                }

                @Differentiable
                public static double chainC(double[] x, double s) {
                    double p = 1;
                    for (double v : x) {
                        p *= 1 + s * v;
                    }
                    return p;
                }

                @Differentiable
                public static double chainB(double[] x, double[] y) {
                    return chainC(x, 0.5) + chainC(y, dot(x, y));
                }

                @Differentiable
                public static double chainA(double[] x, double[] y) {
                    double[] z = new double[x.length];
                    for (int i = 0; i < x.length; i++) {
                        z[i] = x[i] * y[i];
                    }
                    return chainB(z, x) * 2;
                }

                @Differentiable
                public static double callWithLocalArray(double[] x, double a) {
                    double[] t = new double[x.length];
                    for (int i = 0; i < t.length; i++) {
                        t[i] = Math.exp(a * i);
                    }
                    return dot(t, x);
                }

                @Differentiable
                public static double minMaxSpread(double[] x) {
                    double lo = x[0];
                    double hi = x[0];
                    int iLo = 0;
                    for (int i = 1; i < x.length; i++) {
                        if (x[i] < lo) {
                            lo = x[i];
                            iLo = i;
                        }
                        if (x[i] > hi) {
                            hi = x[i];
                        }
                    }
                    return (hi - lo) * x[(iLo + 1) % x.length];
                }

                @Differentiable
                public static double jacobiPingPong(double[] u0, double[] f, int sweeps) {
                    int n = u0.length;
                    double[] cur = new double[n];
                    double[] next = new double[n];
                    for (int i = 0; i < n; i++) {
                        cur[i] = u0[i];
                    }
                    for (int k = 0; k < sweeps; k++) {
                        next[0] = cur[0];
                        next[n - 1] = cur[n - 1];
                        for (int i = 1; i < n - 1; i++) {
                            next[i] = 0.5 * (cur[i - 1] + cur[i + 1] + f[i] * cur[i]);
                        }
                        double[] tmp = cur;
                        cur = next;
                        next = tmp;
                    }
                    double s = 0;
                    for (double v : cur) {
                        s += v * v;
                    }
                    return s;
                }

                @Differentiable
                public static double varAndIncrements(double a, double b) {
                    var v = new double[3];
                    var w = v;
                    for (int i = 0; i < 3; i++) {
                        w[i] = a * (i + 1) - b;
                        v[i]++;
                        w[i] *= b;
                        v[i]--;
                    }
                    return v[0] * v[1] + v[2];
                }

                @Differentiable
                public static double transposeLocal(double[][] m) {
                    int n = m.length;
                    double[][] t = new double[n][n];
                    for (int i = 0; i < n; i++) {
                        for (int j = 0; j < n; j++) {
                            t[i][j] = m[i][j];
                        }
                    }
                    for (int i = 0; i < n; i++) {
                        for (int j = i + 1; j < n; j++) {
                            double tmp = t[i][j];
                            t[i][j] = t[j][i];
                            t[j][i] = tmp;
                        }
                    }
                    double s = 0;
                    for (int i = 0; i < n; i++) {
                        for (int j = 0; j < n; j++) {
                            s += (i + 2 * j + 1) * t[i][j] * m[i][j];
                        }
                    }
                    return s;
                }

                @Differentiable
                public static double returnFromEnhancedFor(double[] x, double limit) {
                    double s = 0;
                    for (double v : x) {
                        s += v * v;
                        if (s > limit) {
                            return Math.sqrt(s) * limit;
                        }
                    }
                    return -s;
                }

                @Differentiable
                public static double doWhileOverArray(double[] x) {
                    double s = 0;
                    int i = 0;
                    do {
                        s = s * x[i] + Math.exp(-x[i]);
                        i++;
                    } while (i < x.length);
                    return s;
                }

                @Differentiable
                public static double writeInBranchInLoop(double[] x, double c) {
                    double[] y = new double[x.length];
                    for (int i = 0; i < x.length; i++) {
                        if (x[i] * c > 0.5) {
                            y[i] = Math.log(x[i] * c);
                        } else {
                            y[i] = x[i] * c - 0.5;
                        }
                        if (i > 0) {
                            y[i] += y[i - 1] * c;
                        }
                    }
                    return y[y.length - 1];
                }

                @Differentiable
                public static double callThenOverwrite(double[] x) {
                    double[] w = {x[0], x[1]};
                    double a = dot(w, w);
                    w[0] = a * x[1];
                    return a + dot(w, x);
                }

                @Differentiable
                public static double callInLoopOnChangingArray(double[] x) {
                    double[] s = {x[0], x[1]};
                    for (int k = 0; k < 3; k++) {
                        double d = dot(s, x);
                        s[0] = s[0] * 0.5 + d * 0.1;
                        s[1] = s[1] * d;
                    }
                    return s[0] + s[1];
                }

                @Differentiable
                public static double scatterAdd(double[] x, int[] bin) {
                    double[] h = new double[3];
                    for (int i = 0; i < x.length; i++) {
                        h[bin[i]] += x[i] * x[i];
                    }
                    return h[0] * h[1] + h[2] * h[2];
                }

                @Differentiable
                public static double indexAdvancedByAStatement(double[] x) {
                    double[] s = new double[x.length];
                    int k = 0;
                    for (int i = x.length - 1; i >= 0; i--) {
                        s[k] = x[i] * x[i];
                        k++;
                    }
                    return s[0] * s[1] + s[2];
                }

                @Differentiable
                public static double elementReadsItselfWhenWritten(double[] x) {
                    double[] s = {x[0], x[1]};
                    for (int k = 0; k < 3; k++) {
                        s[k % 2] = s[k % 2] * s[k % 2] + s[(k + 1) % 2];
                    }
                    return s[0] + s[1];
                }

                @Differentiable
                public static double twoNamesForOneLocal(double x) {
                    double[] a = new double[2];
                    double[] b = a;
                    b[0] = x * x;
                    a[1] = b[0] * x;
                    return a[0] * b[1];
                }

                @Differentiable
                public static double freshArrayEachIteration(double[] x) {
                    double s = 0;
                    for (int i = 0; i < x.length; i++) {
                        double[] t = new double[2];
                        t[0] = x[i] * x[i];
                        t[1] = t[0] * x[i];
                        s += t[0] * t[1];
                    }
                    return s;
                }

                @Differentiable
                public static double argsortWithALocalIntArray(double[] x) {
                    int[] order = new int[x.length];
                    for (int i = 0; i < x.length; i++) {
                        order[i] = i;
                    }
                    for (int i = 0; i < x.length; i++) {
                        for (int j = i + 1; j < x.length; j++) {
                            if (x[order[j]] < x[order[i]]) {
                                int t = order[i];
                                order[i] = order[j];
                                order[j] = t;
                            }
                        }
                    }
                    double s = 0;
                    for (int r = 0; r < x.length; r++) {
                        s += (r + 1) * x[order[r]] * x[order[r]];
                    }
                    return s;
                }

                @Differentiable
                public static double indexComputedFromADifferentiatedValue(double[] x) {
                    int k = (int) (x[0] * 2);
                    return x[k] * x[0];
                }

                @Differentiable
                public static double conditionOnAnElementWrittenLater(double[] x) {
                    double[] s = {x[0], x[1]};
                    double t = 0;
                    for (int i = 0; i < 4; i++) {
                        if (s[i % 2] > 1) {
                            t += s[i % 2] * x[0];
                        }
                        s[(i + 1) % 2] = s[(i + 1) % 2] * 1.5;
                    }
                    return t;
                }

                @Differentiable(wrt = {"s"})
                public static double wrtTheScalarOnly(double[] x, double s) {
                    double t = 0;
                    for (double v : x) {
                        t += Math.sin(v * s);
                    }
                    return t;
                }

                @Differentiable
                public static double scaleRowsThroughForEach(double[][] m, double s) {
                    double t = 0;
                    for (double[] row : m) {
                        row[0] *= s;
                        t += row[0] * row[row.length - 1];
                    }
                    return t;
                }

                /** The branch writes the element its condition reads: the reverse sweep must not evaluate it again. */
                @Differentiable
                public static double halveElementIfLarge(double x) {
                    double[] s = {x};
                    if (s[0] > 1) {
                        s[0] = 0.5 * s[0];
                    }
                    return s[0];
                }

                @Differentiable
                public static double halveElementIfLargeInALoop(double[] x) {
                    double[] s = {x[0], x[1]};
                    for (int i = 0; i < 3; i++) {
                        if (s[0] > 1) {
                            s[0] = s[0] * 0.5;
                        }
                        s[1] += s[0];
                    }
                    return s[1];
                }

                /** Reads rows through the loop variable only: each row's adjoint belongs to its own row. */
                @Differentiable
                public static double firstColumnSum(double[][] m) {
                    double s = 0;
                    for (double[] row : m) {
                        s += row[0];
                    }
                    return s;
                }

                @Differentiable
                public static double rowAliasReadOnly(double[][] m) {
                    double s = 0;
                    for (int i = 0; i < m.length; i++) {
                        double[] row = m[i];
                        s += 2 * row[1];
                    }
                    return s;
                }

                /** Overwrites its parameter: the pullback must still add into the buffer it is given. */
                @Differentiable
                public static double squareFirstInPlace(double[] x) {
                    x[0] = x[0] * x[0];
                    return x[0];
                }

                /** The data x has no derivative: the callee's derivative gets zeros for it. */
                @Differentiable(wrt = {"w"})
                public static double dotWithData(double[] w, double[] x) {
                    return dot(w, x) + 0.5 * dot(w, w);
                }

                /** y is no differentiated parameter, but holds a differentiated value once written. */
                @Differentiable(wrt = {"x"})
                public static double writesAnInputArray(double x, double[] y) {
                    double before = y[0];
                    y[1] = x * x;
                    return before + y[1] * y[0] + y[1];
                }

                static int lookups;

                static int slot(int i) {
                    lookups++;
                    return i % 2;
                }

                /** The index reads the array written, which the write may change: it is taken once, before. */
                @Differentiable
                public static double selfIndexedWrites(double[] a, double x) {
                    for (int k = 0; k < 3; k++) {
                        a[(int) a[0]] = x * a[1] + k;
                    }
                    return a[0] + a[1] + a[2];
                }

                /** The index is looked up once per write, as in the source, by every generated form too. */
                @Differentiable
                public static double writesThroughALookedUpIndex(double[] a, double x) {
                    a[slot(1)] += a[0] * x;
                    a[slot(2)] = a[1] * x;
                    return a[0] + a[1];
                }
            }
            """;

    private static final CompiledOnce COMPILED = new CompiledOnce(CLASS, CLASS, SOURCE);

    private static ArrayGradientCheck check() {
        return new ArrayGradientCheck(COMPILED.get(), CLASS, SOURCE);
    }

    private static double[] v(double... values) {
        return values;
    }

    private static double[][] m(double[]... rows) {
        return rows;
    }

    private static void assertArrayEqualsWithin(double[] expected, double[] actual, double relative) {
        assertEquals(expected.length, actual.length);
        for (int k = 0; k < expected.length; k++) {
            assertEquals(expected[k], actual[k], relative * Math.max(1, Math.abs(expected[k])), "element " + k);
        }
    }

    // ==== reductions over double[] and double[][] ====================================================================

    @Test
    void anArrayReplacedByOneShapedFromItselfGetsAnAdjointOfTheNewShape() {
        check().check("replacedByAnArrayShapedFromItself", (Object) v(-1.114, -0.0614));
    }

    @Test
    void aConstantWriteRestoresTheElementAnEarlierStatementsDerivativeReads() {
        check().check("constantOverwritesAnElementReadEarlier", (Object) v(1.8906, 0, -1.1862, 0.0747));
    }

    @Test
    void aCallOnTheArrayItsResultOverwritesSeesTheArrayAsPassed() {
        check().check("elementOverwrittenWithACallOnItsArray", (Object) v(1.5, -0.5));
        check().check("elementOverwrittenWithACallOnItsArray", (Object) v(-0.3, 2.0, 4.0));
    }

    @Test
    void enhancedForSumHasGradientOneEverywhere() {
        for (double[] x : List.of(v(1.5, -2, 0.25), v(7), v(0.1, 0.2, 0.3, 0.4, 0.5, 0.6))) {
            double[] g = check().check("sum", (Object) x).array("x");
            double[] ones = new double[x.length];
            java.util.Arrays.fill(ones, 1.0);
            assertArrayEquals(ones, g, 0.0);
        }
    }

    @Test
    void emptyArrayHasAnEmptyGradient() {
        ArrayGradientCheck.Gradient g = check().check("sum", (Object) v());
        assertEquals(0, g.array("x").length);
        assertEquals(0.0, g.value());
    }

    @Test
    void dotProductGradientsAreTheOtherVector() {
        double[] a = v(1, 2, 3);
        double[] b = v(-0.5, 4, 0.25);
        ArrayGradientCheck.Gradient g = check().check("dot", a, b);
        assertArrayEquals(b, g.array("a"), 0.0);
        assertArrayEquals(a, g.array("b"), 0.0);
        check().check("dot", v(0.3, -1.1), v(2.2, 0.7));
    }

    @Test
    void extendedRosenbrockWithNeighbouringElements() {
        for (double[] x : List.of(v(-1.2, 1, 0.8, 1.1), v(0.3, -0.4, 0.9), v(2, 1.5))) {
            double[] g = check().check("rosenbrock", (Object) x).array("x");
            double[] expected = new double[x.length];
            for (int i = 0; i + 1 < x.length; i++) {
                expected[i] += -400 * x[i] * (x[i + 1] - x[i] * x[i]) - 2 * (1 - x[i]);
                expected[i + 1] += 200 * (x[i + 1] - x[i] * x[i]);
            }
            assertArrayEqualsWithin(expected, g, 1e-12);
        }
        ArrayGradientCheck.Gradient atMinimum = check().check("rosenbrock", (Object) v(1, 1, 1, 1));
        assertEquals(0.0, atMinimum.value());
        assertArrayEquals(new double[4], atMinimum.array("x"), 0.0);
    }

    @Test
    void matrixVectorProductIntoALocalArrayThenTanh() {
        check().check("matVecThenDot", m(v(0.5, -1, 0.25), v(1.5, 0.2, -0.3)), v(0.4, 0.1, -0.7), v(1.2, -0.8));
        check().check("matVecThenDot", m(v(2), v(-1), v(0.5)), v(0.3), v(1, 2, 3));
    }

    @Test
    void softmaxCrossEntropyGradientIsSoftmaxMinusOneHot() {
        double[] logits = v(0.5, -1.2, 2.0, 0.1);
        for (int label = 0; label < logits.length; label++) {
            double[] g = check().check("softmaxCrossEntropy", logits, label).array("logits");
            double z = 0;
            for (double l : logits) {
                z += Math.exp(l);
            }
            double[] expected = new double[logits.length];
            for (int i = 0; i < logits.length; i++) {
                expected[i] = Math.exp(logits[i]) / z - (i == label ? 1 : 0);
            }
            assertArrayEqualsWithin(expected, g, 1e-12);
        }
        check().check("softmaxCrossEntropy", v(3, 1, 0.2), 0);
    }

    @Test
    void logSumExpGradientIsTheSoftmax() {
        for (double[] x : List.of(v(0.5, -1.2, 2.0), v(10, 10.5, 9.7, -3), v(-0.4))) {
            double[] g = check().check("logSumExp", (Object) x).array("x");
            double z = 0;
            for (double l : x) {
                z += Math.exp(l);
            }
            double[] expected = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                expected[i] = Math.exp(x[i]) / z;
            }
            assertArrayEqualsWithin(expected, g, 1e-12);
        }
    }

    @Test
    void hornerOverACoefficientArray() {
        double[] c = v(1, -2, 0.5, 3);
        for (double x : new double[] {0.7, -1.3, 2.0}) {
            ArrayGradientCheck.Gradient g = check().check("horner", c, x);
            double derivative = 0;
            for (int k = 0; k < c.length; k++) {
                assertEquals(Math.pow(x, k), g.array("c")[k], 1e-12 * Math.max(1, Math.pow(Math.abs(x), k)));
                derivative += k == 0 ? 0 : k * c[k] * Math.pow(x, k - 1);
            }
            assertEquals(derivative, g.scalar("x"), 1e-12 * Math.max(1, Math.abs(derivative)));
        }
    }

    @Test
    void finiteDifferenceLaplacianEnergy() {
        check().check("laplacianEnergy", v(0, 0.5, 0.8, 0.3, -0.1), 0.25);
        check().check("laplacianEnergy", v(1, -1, 1, -1, 1, -1), 0.5);
        check().check("laplacianEnergy", v(0.2, 0.4), 1.0);
    }

    @Test
    void enhancedForOverRowsOfAMatrix() {
        check().check("rowsEnhancedFor", (Object) m(v(-0.3, 0.4)));
        check().check("rowsEnhancedFor", (Object) m(v(1, 2), v(0.5, -1)));
    }

    @Test
    void enhancedForOverRowsOfARaggedMatrix() {
        check().check("rowsEnhancedFor", (Object) m(v(1, 2), v(0.5, -1, 3), v(2)));
    }

    @Test
    void rowReadThroughTheLoopVariableOfAnEnhancedFor() {
        // Minimal form of the two tests above: d/dm[i][0] = 1 for every row i.
        double[][] m = m(v(1, 2), v(3, 4));
        ArrayGradientCheck.Gradient g = check().check("firstColumnSum", (Object) m);
        assertArrayEquals(new double[][] {v(1, 0), v(1, 0)}, g.matrix("m"));
    }

    @Test
    void rowReadThroughALocalAliasInsideALoop() {
        ArrayGradientCheck.Gradient g = check().check("rowAliasReadOnly", (Object) m(v(1, 2), v(3, 4)));
        assertArrayEquals(new double[][] {v(0, 2), v(0, 2)}, g.matrix("m"));
    }

    @Test
    void differencesOfNeighboursAndLength() {
        check().check("squaredDifferences", (Object) v(0.5, 1.5, -0.25, 2));
        check().check("squaredDifferences", (Object) v(3));
    }

    // ==== int[], long[] and boolean[] inputs ====================================================================

    @Test
    void intArrayOfIndicesWithRepeatsGathersElements() {
        double[] x = v(0.5, -1.5, 2.0, 0.75);
        int[] idx = {2, 0, 2, 3};
        double[] g = check().check("gather", x, idx).array("x");
        // d/dx[j] = sum over k with idx[k] == j of 2 (k + 1) x[j]
        assertArrayEqualsWithin(v(2 * 2 * x[0], 0, 2 * (1 + 3) * x[2], 2 * 4 * x[3]), g, 1e-15);
        check().check("gather", x, new int[] {});
        check().check("gather", x, new int[] {1, 1, 1});
    }

    @Test
    void booleanArrayDrivesBranches() {
        check().check("maskedSum", v(0.5, -1.5, 2.0, 0.75), new boolean[] {true, false, true, false});
        check().check("maskedSum", v(0.5, -1.5, 2.0, 0.75), new boolean[] {false, false, true, true});
        check().check("maskedSum", v(1.1, 0.9), new boolean[] {true, true});
    }

    @Test
    void enhancedForOverAnIntArrayWithLongWeights() {
        check().check("forOverInts", v(0.5, -1.5, 2.0), new int[] {2, 0, 2}, new long[] {1, 3, -2});
        check().check("forOverInts", v(0.5, -1.5, 2.0), new int[] {1}, new long[] {5});
    }

    // ==== local arrays ================================================================================================

    @Test
    void localTwoDimensionalArrayFilledInNestedLoops() {
        check().check("local2D", 0.7, -1.3);
        check().check("local2D", -2.0, 0.4);
    }

    @Test
    void oneAndTwoDimensionalInitialisersWithDifferentiatedElements() {
        check().check("initialisers", 0.7, -1.3, 2.1);
        check().check("initialisers", -0.2, 0.5, 1.5);
    }

    @Test
    void twoLocalNamesForTheSameArray() {
        check().check("twoNamesForOneLocal", 0.7);
        check().check("twoNamesForOneLocal", -1.3);
    }

    @Test
    void varArrayLocalsAliasesAndElementIncrements() {
        check().check("varAndIncrements", 0.7, -1.3);
        check().check("varAndIncrements", 2.0, 0.5);
    }

    // ==== element writes and overwrites ==============================================================================

    @Test
    void compoundAssignmentsToTheSameElement() {
        check().check("compoundWrites", (Object) v(0.5, -1.5, 2.0, 0.75));
    }

    @Test
    void sameElementOverwrittenInEveryIteration() {
        check().check("sameElementManyTimes", v(0.5, -1.5, 2.0, 0.75, 0.1), 0.8);
        check().check("sameElementManyTimes", v(1.2, 0.3), -0.6);
    }

    @Test
    void prefixRecurrenceOverALocalArray() {
        ArrayGradientCheck.Gradient g = check().check("prefixProducts", v(0.5, -1.5, 2.0, 0.75), 1.1);
        assertEquals(4, g.array("x").length);
        check().check("prefixProducts", v(1.3), 0.2);
    }

    @Test
    void cumulativeSumsHaveSuffixSumGradients() {
        double[] x = v(0.5, -1, 2, 0.25);
        double[] g = check().check("cumulativeSums", (Object) x).array("x");
        double[] c = new double[x.length];
        c[0] = x[0];
        for (int i = 1; i < x.length; i++) {
            c[i] = c[i - 1] + x[i];
        }
        double[] expected = new double[x.length];
        for (int j = 0; j < x.length; j++) {
            for (int i = j; i < x.length; i++) {
                expected[j] += 2 * c[i];
            }
        }
        assertArrayEqualsWithin(expected, g, 1e-14);
    }

    @Test
    void swappingElementsThroughATemporary() {
        check().check("swapElements", (Object) v(0.5, -1.5, 2.0, 0.75));
        check().check("swapElements", (Object) v(-0.2, 0.3, 1.7, -2.5));
    }

    @Test
    void transposingALocalMatrixInPlace() {
        check().check("transposeLocal", (Object) m(v(0.5, -1.5, 2), v(0.75, 0.1, -0.3), v(1, 2, 3)));
    }

    @Test
    void elementWritesInsideBranchesInsideALoop() {
        // x[i] * c against 0.5: 0.9, 0.12, 1.5, -0.3 at c = 0.6 -- all away from the switch.
        check().check("writeInBranchInLoop", v(1.5, 0.2, 2.5, -0.5), 0.6);
        check().check("writeInBranchInLoop", v(3, 4), 0.3);
    }

    @Test
    void pingPongBuffersSwappedByReference() {
        check().check("jacobiPingPong", v(0.1, 0.5, -0.3, 0.8, 0.2), v(0.2, 0.4, -0.6, 0.3, 0.1), 3);
        check().check("jacobiPingPong", v(1, 2, 3), v(0.5, 0.5, 0.5), 4);
        check().check("jacobiPingPong", v(1, 2, 3), v(0.5, 0.5, 0.5), 0);
    }

    @Test
    void elementWriteWhoseIndexAdvancesInAStatementOfItsOwn() {
        check().check("indexAdvancedByAStatement", (Object) v(0.5, -1.5, 2));
    }

    @Test
    void elementThatReadsItselfWhenWritten() {
        check().check("elementReadsItselfWhenWritten", (Object) v(0.5, -0.7));
        check().check("elementReadsItselfWhenWritten", (Object) v(-0.2, 0.3));
    }

    @Test
    void aFreshLocalArrayInEveryIteration() {
        check().check("freshArrayEachIteration", (Object) v(0.5, -1.5, 2));
    }

    @Test
    void scatterAddThroughAnIntArrayOfBins() {
        double[] x = v(0.5, -1.5, 2, 0.3);
        int[] bin = {0, 2, 2, 1};
        double[] g = check().check("scatterAdd", x, bin).array("x");
        double h0 = 0.25;
        double h1 = 0.09;
        double h2 = 2.25 + 4;
        assertArrayEqualsWithin(v(2 * 0.5 * h1, 2 * -1.5 * 2 * h2, 2 * 2 * 2 * h2, 2 * 0.3 * h0), g, 1e-14);
    }

    @Test
    void argsortIntoALocalIntArrayThenGather() {
        check().check("argsortWithALocalIntArray", (Object) v(0.5, -1.5, 2, 0.1));
        check().check("argsortWithALocalIntArray", (Object) v(3, 2, 1));
    }

    @Test
    void indexComputedFromADifferentiatedValueIsPiecewiseConstant() {
        // k = (int) (2 x0): 2, then 0 -- the partial picks up x[k] only through the product.
        check().check("indexComputedFromADifferentiatedValue", (Object) v(1.2, -1.5, 2, 0.1));
        check().check("indexComputedFromADifferentiatedValue", (Object) v(0.3, -1.5, 2, 0.1));
    }

    @Test
    void branchOnAnElementThatLaterStatementsOverwrite() {
        check().check("conditionOnAnElementWrittenLater", (Object) v(0.5, 0.8));
        check().check("conditionOnAnElementWrittenLater", (Object) v(1.2, 0.3));
    }

    @Test
    void branchThatWritesTheElementItsConditionReads() {
        // s[0] = 1.5 > 1 is halved: d/dx = 0.5. Evaluated again after the write, the condition is false.
        ArrayGradientCheck.Gradient g = check().check("halveElementIfLarge", 1.5);
        assertEquals(0.5, g.scalar("x"), 0.0);
        check().check("halveElementIfLarge", 0.5);
    }

    @Test
    void branchThatWritesTheElementItsConditionReadsInsideALoop() {
        check().check("halveElementIfLargeInALoop", (Object) v(3.3, 0.8));
        check().check("halveElementIfLargeInALoop", (Object) v(0.3, 0.8));
    }

    // ==== aliasing ===================================================================================================

    @Test
    void rowOfALocalMatrixWrittenThroughAnAlias() {
        check().check("aliasRowOfLocal", (Object) v(0.5, -1.5));
        check().check("aliasRowOfLocal", (Object) v(2.0, 0.3));
    }

    @Test
    void parameterWrittenThroughALocalAlias() {
        check().check("aliasParameter", (Object) v(0.5, -1.5));
        check().check("aliasParameter", (Object) v(2.0, 0.3, 7));
    }

    @Test
    void rowOfAParameterMatrixWrittenThroughAnAlias() {
        check().check("aliasRowOfParameter", m(v(0.5, -1.5), v(2.0, 0.3, 0.1)), 1.3);
        check().check("aliasRowOfParameter", m(v(0.4)), -0.7);
    }

    // ==== writes into parameter arrays: the side effect stays, the gradient is w.r.t. the values passed in =======

    @Test
    void squaringAParameterInPlaceKeepsTheSideEffect() {
        double[] x = v(0.5, -1.5, 2.0);
        double[] g = check().check("squareInPlace", (Object) x).array("x");
        // f = (sum x_i^2) x_0^2: d/dx_0 = 2 x_0 x_0^2 + 2 x_0 sum, d/dx_j = 2 x_j x_0^2
        double sum = 0.25 + 2.25 + 4.0;
        assertArrayEqualsWithin(v(2 * 0.5 * 0.25 + 2 * 0.5 * sum, 2 * -1.5 * 0.25, 2 * 2.0 * 0.25), g, 1e-14);

        double[] passed = x.clone();
        compiledGradient("squareInPlace", (Object) passed);
        assertArrayEquals(v(0.25, 2.25, 4.0), passed, 0.0, "the gradient must square x in place, as the original does");
    }

    @Test
    void pullbackOfAMethodThatOverwritesItsParameterAddsIntoItsBuffer() {
        // Minimal: x[0] = x[0] * x[0]; return x[0]. The gradient is 2 x0; a pullback with seed s into a buffer
        // holding b must leave b + 2 s x0 there, whatever b is.
        check().check("squareFirstInPlace", (Object) v(1.5));
        double[] dx = {100};
        invokeGenerated("squareFirstInPlacePullback", v(1.5), 1.0, dx);
        assertArrayEquals(v(100 + 3), dx, 0.0);
    }

    @Test
    void parameterMatrixWrittenThroughTheLoopVariableOfAnEnhancedFor() {
        check().check("scaleRowsThroughForEach", m(v(0.5, -1.5), v(2.0, 0.3, 0.1)), 1.3);
    }

    @Test
    void normalizingAParameterInPlace() {
        check().check("normalizeInPlace", (Object) v(0.5, -1.5, 2.0));
        check().check("normalizeInPlace", (Object) v(3, 4));
    }

    @Test
    void recurrenceOverRowsOfAParameterMatrixInPlace() {
        check().check("inPlaceRecurrence2D", (Object) m(v(0.5, -1.5), v(2.0, 0.3), v(0.1, 0.7)));
        check().check("inPlaceRecurrence2D", (Object) m(v(0.5, -1.5, 1), v(2.0, 0.3, -1)));
    }

    // ==== nested loops with early exits ==============================================================================

    @Test
    void labelledBreakOutOfNestedLoopsOverAMatrix() {
        // Break in the first row (s = 5.25 > 3), in the second (2.89 > 2.5), and never.
        check().check("breakOnThreshold", m(v(1, 0.5, 2), v(1.5, 1)), 3.0);
        check().check("breakOnThreshold", m(v(0.5, 0.5), v(1, 1.2, 3)), 2.5);
        check().check("breakOnThreshold", m(v(0.5, 0.5), v(1, 1.2, 3)), 100.0);
    }

    @Test
    void continueSkipsNegativeElements() {
        check().check("continueSkipsNegatives", (Object) v(0.5, -0.3, 1.2, -2, 0.1));
        double[] g = check().check("continueSkipsNegatives", (Object) v(-1, -2)).array("x");
        assertArrayEquals(new double[2], g, 0.0);
    }

    @Test
    void returnFromInsideNestedLoopsOverAMatrix() {
        check().check("returnInsideNestedLoops", m(v(1, 2), v(0.5, 3)), 1.2);
        check().check("returnInsideNestedLoops", m(v(1, 2), v(0.5, 3)), 0.5);
        check().check("returnInsideNestedLoops", m(v(0.1), v(0.5, 1), v(2, 2, 2)), 0.9);
    }

    @Test
    void labelledContinueOutOfAnEnhancedForOverRows() {
        check().check("labelledContinueOverRows", m(v(0.5, 1.2), v(-2, 0.3), v(1.5, -0.2, 0.8)), 0.1);
        check().check("labelledContinueOverRows", m(v(0.5, 1.2), v(2, 0.3)), 0.4);
    }

    @Test
    void returnFromInsideAnEnhancedFor() {
        check().check("returnFromEnhancedFor", v(0.5, 1, 1.5, 2), 2.0);
        check().check("returnFromEnhancedFor", v(0.5, 1, 1.5, 2), 10.0);
    }

    @Test
    void doWhileOverAnArray() {
        check().check("doWhileOverArray", (Object) v(0.5, -1, 1.5));
        check().check("doWhileOverArray", (Object) v(2));
    }

    // ==== trip counts that depend on differentiated values ===========================================================

    @Test
    void iterateUntilARunningSumExceedsAThreshold() {
        // threshold 2: s = 0.25, 1.25, 3.5 -- three trips, far from the switch; 100: every element.
        check().check("sumUntilThreshold", v(0.5, 1, 1.5, 2), 2.0);
        check().check("sumUntilThreshold", v(0.5, 1, 1.5, 2), 100.0);
        check().check("sumUntilThreshold", v(3, 1), 0.5);
    }

    @Test
    void whileLoopOnAnElementWhoseTripCountDependsOnIt() {
        ArrayGradientCheck.Gradient g = check().check("halveEachUntilSmall", (Object) v(3.3, 0.7, 5.3));
        // y = x / 2^k with k halvings: d/dx (y^2) = 2 y / 2^k
        assertArrayEqualsWithin(v(2 * 0.825 / 4, 2 * 0.7, 2 * 0.6625 / 8), g.array("x"), 1e-15);
    }

    // ==== classic kernels ============================================================================================

    @Test
    void explicitEulerOfADampedOscillatorWithRespectToParametersAndInitialState() {
        check().check("eulerOscillator", v(2.0, 0.3), v(1.0, 0.0), 20, 0.05);
        check().check("eulerOscillator", v(5.0, 0.1), v(-0.5, 2.0), 7, 0.1);
    }

    @Test
    void rungeKutta4OfADampedOscillatorWithStageArrays() {
        check().check("rk4Oscillator", 2.0, 0.3, 1.0, 0.0, 10, 0.1);
        check().check("rk4Oscillator", 5.0, 0.05, -0.5, 2.0, 25, 0.05);
    }

    @Test
    void rungeKutta4ConvergesToTheExactSensitivityOfTheUndampedOscillator() {
        // x(t) = x0 cos(w t) for k = w^2, c = 0, v0 = 0; d x(t) / d x0 = cos(w t). The method returns x + v / 4.
        double k = 4.0;
        double t = 1.0;
        int steps = 200;
        // The result varies with dt on the scale of dt itself: a finer finite-difference step.
        ArrayGradientCheck.Gradient g = check().step(1e-6).check("rk4Oscillator", k, 0.0, 1.0, 0.0, steps, t / steps);
        double w = Math.sqrt(k);
        assertEquals(Math.cos(w * t) - 0.25 * w * Math.sin(w * t), g.scalar("x0"), 1e-8);
    }

    @Test
    void oneHiddenLayerNetworkLossWithRespectToItsWeightsOnly() {
        double[][] w1 = m(v(0.5, -0.3), v(0.8, 0.1), v(-0.6, 0.4));
        double[] b1 = v(0.1, -0.2, 0.05);
        double[] w2 = v(0.7, -1.1, 0.3);
        double[][] xs = m(v(1, 2), v(-0.5, 0.3), v(0.2, -1.4));
        double[] ys = v(0.5, -0.2, 0.9);
        ArrayGradientCheck.Gradient g = check().checkWrt("mlpLoss", List.of("w1", "b1", "w2", "b2"),
                w1, b1, w2, 0.15, xs, ys);
        assertEquals(3, g.matrix("w1").length);
        check().checkWrt("mlpLoss", List.of("w1", "b1", "w2", "b2"), w1, b1, w2, -0.4, m(v(0.3, 0.3)), v(1.0));
    }

    @Test
    void bubbleSortIsPiecewiseLinearInThePermutation() {
        double[] x = v(0.3, -1.2, 2.5, 0.9, -0.4);
        double[] g = check().check("bubbleSortWeighted", (Object) x).array("x");
        double[] sorted = x.clone();
        java.util.Arrays.sort(sorted);
        for (int j = 0; j < x.length; j++) {
            int rank = java.util.Arrays.binarySearch(sorted, x[j]);
            assertEquals(2 * (rank + 1) * x[j], g[j], 1e-14, "element " + j);
        }
        check().check("bubbleSortWeighted", (Object) v(5, 4, 3, 2, 1));
        check().check("bubbleSortWeighted", (Object) v(1, 2, 3));
    }

    @Test
    void argmaxIndexUsedAfterTheSearch() {
        check().check("argmaxThenUse", v(0.2, 1.7, -0.5, 0.9), v(1.5, -2, 0.5, 3));
        check().check("argmaxThenUse", v(0.2, -1.7, -0.5, 4.9), v(1.5, -2, 0.5, 3));
        check().check("argmaxThenUse", v(2.2, 1.7), v(1.5, -2));
    }

    @Test
    void minAndMaxSearchWithTheArgminUsedLater() {
        check().check("minMaxSpread", (Object) v(0.2, 1.7, -0.5, 0.9));
        check().check("minMaxSpread", (Object) v(-3, 1.7, -0.5, 0.9));
    }

    // ==== calls with array arguments =================================================================================

    @Test
    void callPassingTheSameArrayTwice() {
        check().check("callDotSameArrayTwice", v(0.5, -1.5, 2), v(0.3, 0.7, -0.2));
        // f = (x.y)(x.x): df/dy = (x.x) x
        double[] x = v(1, 2);
        double[] g = check().check("callDotSameArrayTwice", x, v(3, 4)).array("y");
        assertArrayEquals(v(5, 10), g, 0.0);
    }

    @Test
    void callPassingRowsOfAMatrix() {
        check().check("callOnRows", m(v(0.5, -1.5), v(2, 0.3), v(0.1, 0.7)), v(0.4, -0.9));
    }

    @Test
    void calleeWithWrtCalledWithItsDataAsAnInput() {
        check().checkWrt("weightedNorm", List.of("a"), v(0.5, -1.5, 2), v(1, 2, 0.5));
        ArrayGradientCheck.Gradient g = check().checkWrt("callCalleeWithWrt", List.of("x"), v(0.5, -1.5, 2), v(1, 2, 0.5));
        assertEquals(1, g.partials().size());
    }

    @Test
    void arrayOverwrittenAfterItWasPassedToACall() {
        check().check("callThenOverwrite", (Object) v(0.5, -1.5));
        check().check("callThenOverwrite", (Object) v(1.1, 0.4));
    }

    @Test
    void callInsideALoopOnAnArrayTheLoopChanges() {
        check().check("callInLoopOnChangingArray", (Object) v(0.5, -0.7));
        check().check("callInLoopOnChangingArray", (Object) v(0.9, 0.3));
    }

    @Test
    void calleeGetsZerosForAnArrayArgumentWithoutDerivative() {
        ArrayGradientCheck.Gradient g = check().checkWrt("dotWithData", List.of("w"), v(0.5, -1.5, 2), v(1, 2, 0.5));
        assertArrayEquals(v(1 + 0.5, 2 - 1.5, 0.5 + 2), g.array("w"), 1e-15);
    }

    @Test
    void inputArrayWrittenWithADifferentiatedValue() {
        ArrayGradientCheck.Gradient g = check().checkWrt("writesAnInputArray", List.of("x"), 0.7, v(1.5, -2));
        assertEquals(2 * 0.7 * 1.5 + 2 * 0.7, g.scalar("x"), 1e-15);
    }

    @Test
    void anIndexThatReadsTheArrayWrittenIsTakenBeforeTheWrite() {
        check().check("selfIndexedWrites", v(0.5, 2, 1), 0.3);
        check().check("selfIndexedWrites", v(2.5, 0.5, 0.7), -0.4);
    }

    @Test
    void anIndexLookedUpByACallIsLookedUpOnceByEveryForm() throws ReflectiveOperationException {
        check().check("writesThroughALookedUpIndex", v(0.5, -1.5), 0.7);
        java.lang.reflect.Field lookups = COMPILED.get().load(CLASS).getDeclaredField("lookups");
        lookups.setAccessible(true);
        for (String form : List.of("writesThroughALookedUpIndex", "writesThroughALookedUpIndexDifferential",
                "writesThroughALookedUpIndexPullback")) {
            lookups.setInt(null, 0);
            Object[] args = switch (form) {
                case "writesThroughALookedUpIndexDifferential" -> new Object[] {v(0.5, -1.5), 0.7, v(1, 0), 1.0};
                case "writesThroughALookedUpIndexPullback" -> new Object[] {v(0.5, -1.5), 0.7, 1.0, v(0, 0)};
                default -> new Object[] {v(0.5, -1.5), 0.7};
            };
            invokeGenerated(form, args);
            assertEquals(2, lookups.getInt(null), form);
        }
    }

    @Test
    void wrtRestrictsAnArrayMethodToItsScalar() {
        ArrayGradientCheck.Gradient g = check().checkWrt("wrtTheScalarOnly", List.of("s"), v(0.5, -1.5), 0.7);
        assertEquals(List.of("s"), List.copyOf(g.partials().keySet()));
    }

    @Test
    void calleeWithMixedScalarAndArrayParametersCalledOnRows() {
        check().check("mixed", v(0.5, -1.5, 2), 0.8, 2);
        check().check("callMixed", m(v(0.5, -1.5), v(2, 0.3, 0.1), v(0.9)), 0.8);
    }

    @Test
    void chainOfThreeCallsWithArrayArguments() {
        check().check("chainC", v(0.5, -1.5, 2), 0.3);
        check().check("chainB", v(0.5, -1.5, 2), v(0.2, 0.4, -0.1));
        check().check("chainA", v(0.5, -1.5, 2), v(0.2, 0.4, -0.1));
        check().check("chainA", v(1.1), v(-0.6));
    }

    @Test
    void callWithALocalArrayArgument() {
        check().check("callWithLocalArray", v(0.5, -1.5, 2), 0.3);
        ArrayGradientCheck.Gradient g = check().check("callWithLocalArray", v(1, 1, 1), 0.0);
        assertArrayEquals(v(1, 1, 1), g.array("x"), 0.0);
        assertEquals(0 + 1 + 2, g.scalar("a"), 1e-14);
    }

    // ==== the allocation-free form ===================================================================================

    @Test
    void accumulateAddsIntoTheGivenBuffersAcrossCalls() {
        // A training loop: the same buffers, two samples, accumulated.
        double[] a1 = v(1, 2, 3);
        double[] b1 = v(-0.5, 4, 0.25);
        double[] a2 = v(0.5, 0.5, -1);
        double[] b2 = v(2, 1, 0);
        double[] da = {10, 20, 30};
        double[] db = new double[3];
        Tape tape = new Tape();
        double value1 = (double) invokeGenerated("dotAccumulate", a1, b1, da, db, tape);
        double value2 = (double) invokeGenerated("dotAccumulate", a2, b2, da, db, tape);
        assertEquals(1 * -0.5 + 2 * 4 + 3 * 0.25, value1, 0.0);
        assertEquals(0.5 * 2 + 0.5 * 1, value2, 0.0);
        assertArrayEquals(v(10 - 0.5 + 2, 20 + 4 + 1, 30 + 0.25 + 0), da, 0.0);
        assertArrayEquals(v(1 + 0.5, 2 + 0.5, 3 - 1), db, 0.0);
    }

    @Test
    void accumulateIntoNonZeroBuffersOfAMethodThatWritesItsParameter() {
        double[] x = v(0.5, -1.5, 2.0);
        double[] g = check().check("squareInPlace", (Object) x.clone()).array("x");
        double[] dx = {1, 2, 3};
        double[] passed = x.clone();
        invokeGenerated("squareInPlaceAccumulate", passed, dx, new Tape());
        assertArrayEqualsWithin(v(1 + g[0], 2 + g[1], 3 + g[2]), dx, 1e-15);
        assertArrayEquals(v(0.25, 2.25, 4.0), passed, 0.0);
    }

    private static Object compiledGradient(String method, Object... args) {
        return invokeGenerated(method, args);
    }

    private static Object invokeGenerated(String method, Object... args) {
        Class<?> gradient = COMPILED.get().load(CLASS + "Gradient");
        for (Method m : gradient.getDeclaredMethods()) {
            if (m.getName().equals(method)) {
                try {
                    return m.invoke(null, args);
                } catch (ReflectiveOperationException e) {
                    throw new AssertionError(e);
                }
            }
        }
        throw new AssertionError("no method " + method);
    }
}
