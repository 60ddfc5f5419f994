package dev.leibniz.samples;

import dev.leibniz.Tape;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;

/**
 * Trains the article's network ({@link Mlp}) by stochastic gradient descent, one data point per step, with the
 * update rule w &larr; w - &eta; &part;E/&part;w and the gradient Leibniz generated ({@code MlpGradient}).
 *
 * <p>The data: t = sin(x1) cos(x2) on a {@value #GRID} &times; {@value #GRID} grid over [-2, 2]&sup2;, plus Gaussian
 * noise of standard deviation {@value #NOISE}, shuffled and split into a training set and a test set of
 * {@value #TEST_PERCENT}% of the points. Everything random is seeded, so every run prints the same numbers.
 *
 * <p>The same network is then trained a second time, from the same initial weights and in the same order, with the
 * hand-derived backpropagation of {@link MlpBackprop}; the program checks that the two gradients agree to
 * {@value #TOLERANCE} (relative) and that the two runs end with the same weights, and exits with status 1 if not.
 *
 * <p>Usage: {@code TrainMlp [plot.png]} (default {@code target/mlp-loss.png}): the loss curves are drawn there.
 */
public final class TrainMlp {
    /** Points per side of the input grid. */
    static final int GRID = 21;
    /** Standard deviation of the noise on the targets. */
    static final double NOISE = 0.05;
    /** Share of the points held out for testing. */
    static final int TEST_PERCENT = 20;
    static final long DATA_SEED = 20240611L;
    static final long WEIGHT_SEED = 7L;
    static final long SHUFFLE_SEED = 42L;

    static final int HIDDEN1 = 8;
    static final int HIDDEN2 = 8;
    /** The sigmoid's steepness, the hyperparameter the article leaves alone. */
    static final double BETA = 2.0;
    /** The learning rate &eta;. */
    static final double ETA = 0.05;
    static final int EPOCHS = 50;

    /** Relative agreement required between the generated and the hand-derived gradient, and between the runs. */
    static final double TOLERANCE = 1e-12;

    private TrainMlp() {
    }

    /** Inputs (one row per point) and their targets. */
    public record DataSet(double[][] x, double[] t) {
        public int size() {
            return t.length;
        }

        /** The variance of the targets: the mean squared error of the best constant prediction. */
        public double targetVariance() {
            double mean = Arrays.stream(t).average().orElse(0);
            return Arrays.stream(t).map(v -> (v - mean) * (v - mean)).average().orElse(0);
        }
    }

    /** A training set and a held-out test set. */
    public record Split(DataSet train, DataSet test) {
    }

    /**
     * The data set: t = sin(x1) cos(x2) + N(0, {@value #NOISE}&sup2;) at the points of a {@code grid} &times;
     * {@code grid} grid over [-2, 2]&sup2;, shuffled with a {@link Random} seeded by {@code seed}; the last
     * {@value #TEST_PERCENT}% of the shuffled points are the test set.
     */
    public static Split makeData(int grid, long seed) {
        Random random = new Random(seed);
        int n = grid * grid;
        double[][] x = new double[n][];
        double[] t = new double[n];
        for (int a = 0; a < grid; a++) {
            for (int b = 0; b < grid; b++) {
                double x1 = -2.0 + 4.0 * a / (grid - 1);
                double x2 = -2.0 + 4.0 * b / (grid - 1);
                x[a * grid + b] = new double[] {x1, x2};
                t[a * grid + b] = Math.sin(x1) * Math.cos(x2) + NOISE * random.nextGaussian();
            }
        }
        int[] order = shuffled(n, random);
        int nTest = n * TEST_PERCENT / 100;
        int nTrain = n - nTest;
        double[][] trainX = new double[nTrain][];
        double[] trainT = new double[nTrain];
        double[][] testX = new double[nTest][];
        double[] testT = new double[nTest];
        for (int i = 0; i < n; i++) {
            if (i < nTrain) {
                trainX[i] = x[order[i]];
                trainT[i] = t[order[i]];
            } else {
                testX[i - nTrain] = x[order[i]];
                testT[i - nTrain] = t[order[i]];
            }
        }
        return new Split(new DataSet(trainX, trainT), new DataSet(testX, testT));
    }

    /** 0, 1, ..., n - 1 in a random order (Fisher-Yates). */
    static int[] shuffled(int n, Random random) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        shuffle(order, random);
        return order;
    }

    static void shuffle(int[] order, Random random) {
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
    }

    /** The weights of {@link Mlp#loss}: each layer's biases in the last column. */
    public record Weights(double[][] w1, double[][] w2, double[] w3) {
        /**
         * Gaussian weights with standard deviation 1 / sqrt(fan-in) (fan-in counting the bias), seeded.
         */
        public static Weights random(int inputs, int hidden1, int hidden2, long seed) {
            Random random = new Random(seed);
            double[][] w1 = new double[hidden1][inputs + 1];
            double[][] w2 = new double[hidden2][hidden1 + 1];
            double[] w3 = new double[hidden2 + 1];
            fill(w1, random);
            fill(w2, random);
            fill(w3, random);
            return new Weights(w1, w2, w3);
        }

        private static void fill(double[][] w, Random random) {
            for (double[] row : w) {
                fill(row, random);
            }
        }

        private static void fill(double[] w, Random random) {
            double scale = 1.0 / Math.sqrt(w.length);
            for (int i = 0; i < w.length; i++) {
                w[i] = scale * random.nextGaussian();
            }
        }

        /** Zeros of the same shape: a gradient buffer. */
        public Weights zeros() {
            return new Weights(new double[w1.length][w1[0].length], new double[w2.length][w2[0].length],
                    new double[w3.length]);
        }

        public Weights copy() {
            double[][] c1 = new double[w1.length][];
            for (int i = 0; i < w1.length; i++) {
                c1[i] = w1[i].clone();
            }
            double[][] c2 = new double[w2.length][];
            for (int i = 0; i < w2.length; i++) {
                c2[i] = w2[i].clone();
            }
            return new Weights(c1, c2, w3.clone());
        }

        /** Sets every entry to 0. */
        public void clear() {
            for (double[] row : w1) {
                Arrays.fill(row, 0.0);
            }
            for (double[] row : w2) {
                Arrays.fill(row, 0.0);
            }
            Arrays.fill(w3, 0.0);
        }

        /** The SGD step w &larr; w - &eta; dw. */
        public void step(double eta, Weights dw) {
            for (int j = 0; j < w1.length; j++) {
                for (int i = 0; i < w1[j].length; i++) {
                    w1[j][i] -= eta * dw.w1[j][i];
                }
            }
            for (int k = 0; k < w2.length; k++) {
                for (int j = 0; j < w2[k].length; j++) {
                    w2[k][j] -= eta * dw.w2[k][j];
                }
            }
            for (int k = 0; k < w3.length; k++) {
                w3[k] -= eta * dw.w3[k];
            }
        }

        /** All entries in one array: w1 row by row, then w2 row by row, then w3. */
        public double[] flatten() {
            double[] flat = new double[w1.length * w1[0].length + w2.length * w2[0].length + w3.length];
            int n = 0;
            for (double[] row : w1) {
                for (double v : row) {
                    flat[n++] = v;
                }
            }
            for (double[] row : w2) {
                for (double v : row) {
                    flat[n++] = v;
                }
            }
            for (double v : w3) {
                flat[n++] = v;
            }
            return flat;
        }
    }

    /**
     * The shape of {@code MlpGradient.lossAccumulate}: adds the gradient into dw1, dw2, dw3 and returns the loss,
     * keeping what its reverse sweep needs on the caller's tape.
     */
    @FunctionalInterface
    public interface LossAccumulate {
        double apply(double[][] w1, double[][] w2, double[] w3, double[] x, double t, double beta,
                double[][] dw1, double[][] dw2, double[] dw3, Tape tape);
    }

    /** The generated gradient. */
    public static final LossAccumulate GENERATED = MlpGradient::lossAccumulate;

    /** The hand-derived backpropagation (it needs no tape). */
    public static final LossAccumulate BY_HAND = (w1, w2, w3, x, t, beta, dw1, dw2, dw3, tape) ->
            MlpBackprop.lossAccumulate(w1, w2, w3, x, t, beta, dw1, dw2, dw3);

    /** Per epoch: the mean loss seen during the SGD steps, and the mean loss on both sets after the epoch. */
    public record History(double[] sgdLoss, double[] trainLoss, double[] testLoss) {
    }

    /** Called after each epoch. */
    @FunctionalInterface
    public interface Progress {
        void epoch(int epoch, double sgdLoss, double trainLoss, double testLoss);
    }

    /**
     * Per-point SGD: each epoch visits the training points in a new order drawn from a {@link Random} seeded by
     * {@code shuffleSeed}, and after each point updates w &larr; w - &eta; &part;E/&part;w in place. The gradient
     * buffers and the tape are allocated once; the buffers are zeroed before each step (the accumulate form clears
     * the tape itself).
     */
    public static History train(Weights w, Split data, LossAccumulate gradient, double eta, double beta, int epochs,
            long shuffleSeed, Progress progress) {
        DataSet train = data.train();
        Weights dw = w.zeros();
        Tape tape = new Tape();
        Random random = new Random(shuffleSeed);
        int[] order = new int[train.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        History history = new History(new double[epochs], new double[epochs], new double[epochs]);
        for (int epoch = 0; epoch < epochs; epoch++) {
            shuffle(order, random);
            double sum = 0;
            for (int p : order) {
                dw.clear();
                sum += gradient.apply(w.w1(), w.w2(), w.w3(), train.x()[p], train.t()[p], beta,
                        dw.w1(), dw.w2(), dw.w3(), tape);
                w.step(eta, dw);
            }
            history.sgdLoss()[epoch] = sum / order.length;
            history.trainLoss()[epoch] = meanLoss(w, train, beta);
            history.testLoss()[epoch] = meanLoss(w, data.test(), beta);
            progress.epoch(epoch + 1, history.sgdLoss()[epoch], history.trainLoss()[epoch],
                    history.testLoss()[epoch]);
        }
        return history;
    }

    /** The mean of E = 1/2 (y - t)&sup2; over a data set (half the mean squared error). */
    public static double meanLoss(Weights w, DataSet data, double beta) {
        double sum = 0;
        for (int p = 0; p < data.size(); p++) {
            sum += Mlp.loss(w.w1(), w.w2(), w.w3(), data.x()[p], data.t()[p], beta);
        }
        return sum / data.size();
    }

    /**
     * The largest relative difference between two arrays of the same length, entry by entry:
     * |a - b| / max(|a|, |b|), 0 where both are equal (zeros included).
     */
    public static double maxRelativeDifference(double[] a, double[] b) {
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            if (a[i] != b[i]) {
                max = Math.max(max, Math.abs(a[i] - b[i]) / Math.max(Math.abs(a[i]), Math.abs(b[i])));
            }
        }
        return max;
    }

    /** How many entries of two arrays of the same length are bit for bit the same. */
    public static int identicalEntries(double[] a, double[] b) {
        int same = 0;
        for (int i = 0; i < a.length; i++) {
            if (Double.doubleToRawLongBits(a[i]) == Double.doubleToRawLongBits(b[i])) {
                same++;
            }
        }
        return same;
    }

    /** The gradient of {@link Mlp#loss} at one data point, flattened like {@link Weights#flatten}. */
    public static double[] gradient(LossAccumulate gradient, Weights w, double[] x, double t, double beta) {
        Weights dw = w.zeros();
        gradient.apply(w.w1(), w.w2(), w.w3(), x, t, beta, dw.w1(), dw.w2(), dw.w3(), new Tape());
        return dw.flatten();
    }

    /** Generated and hand-derived gradient at the first {@code points} training points: the largest difference. */
    static double gradientAgreement(Weights w, DataSet data, int points) {
        double worst = 0;
        for (int p = 0; p < points; p++) {
            double[] generated = gradient(GENERATED, w, data.x()[p], data.t()[p], BETA);
            double[] byHand = gradient(BY_HAND, w, data.x()[p], data.t()[p], BETA);
            worst = Math.max(worst, maxRelativeDifference(generated, byHand));
        }
        return worst;
    }

    public static void main(String[] args) throws IOException {
        // The plot is drawn into an image: no display is needed. Set before anything touches AWT.
        System.setProperty("java.awt.headless", "true");
        Path plot = Path.of(args.length > 0 ? args[0] : "target/mlp-loss.png");
        long start = System.nanoTime();
        boolean ok = true;

        Split data = makeData(GRID, DATA_SEED);
        Weights initial = Weights.random(2, HIDDEN1, HIDDEN2, WEIGHT_SEED);
        System.out.println();
        System.out.println("Training the article's network with the gradient Leibniz generated (TrainMlp)");
        System.out.printf(Locale.ROOT, "The network: 2 inputs, hidden layers of %d and %d sigmoids (beta = %s),"
                + " one linear output, %d weights%n", HIDDEN1, HIDDEN2, BETA, initial.flatten().length);
        System.out.printf(Locale.ROOT, "Data: t = sin(x1) cos(x2) + N(0, %s^2) on a %dx%d grid over [-2, 2]^2;"
                + " %d training points, %d test points%n", NOISE, GRID, GRID, data.train().size(), data.test().size());

        double before = gradientAgreement(initial, data.train(), 5);
        ok &= report("generated vs hand-derived gradient, 5 points, initial weights", before);

        System.out.printf(Locale.ROOT, "Per-point SGD, eta = %s, %d epochs, gradient from MlpGradient.lossAccumulate:%n",
                ETA, EPOCHS);
        System.out.println("  epoch   mean SGD loss   train loss   test loss");
        Weights generated = initial.copy();
        History history = train(generated, data, GENERATED, ETA, BETA, EPOCHS, SHUFFLE_SEED,
                (epoch, sgd, train, test) -> System.out.printf(Locale.ROOT, "  %5d   %13.6f   %10.6f   %9.6f%n",
                        epoch, sgd, train, test));

        Weights byHand = initial.copy();
        train(byHand, data, BY_HAND, ETA, BETA, EPOCHS, SHUFFLE_SEED, (e, s, tr, te) -> { });

        double after = gradientAgreement(generated, data.train(), 5);
        ok &= report("generated vs hand-derived gradient, 5 points, trained weights", after);
        double[] a = generated.flatten();
        double[] b = byHand.flatten();
        double weights = maxRelativeDifference(a, b);
        ok &= report("weights trained with generated vs hand-derived gradient", weights);
        // Not bit for bit: the generated reverse sweep rounds differently (it writes sigma' as
        // -s / (1 + exp) * exp * -beta and sums over the units of a layer in reverse order); the same arithmetic in
        // the same order gives bit-identical weights.
        System.out.printf(Locale.ROOT, "  %d of %d weights bit-identical (the two gradients round differently)%n",
                identicalEntries(a, b), a.length);

        double trainLoss = meanLoss(generated, data.train(), BETA);
        double testLoss = meanLoss(generated, data.test(), BETA);
        double variance = data.test().targetVariance();
        System.out.printf(Locale.ROOT, "Final loss, mean of 1/2 (y - t)^2: train %.6f, test %.6f%n", trainLoss, testLoss);
        System.out.printf(Locale.ROOT, "Final mean squared error: train %.6f, test %.6f; variance of the test targets"
                + " %.6f (R^2 = %.3f), noise variance %.6f%n", 2 * trainLoss, 2 * testLoss, variance,
                1 - 2 * testLoss / variance, NOISE * NOISE);
        double testMse = 2 * testLoss;
        boolean learned = testMse < 0.1 * variance;
        if (!learned) {
            System.out.println("  the network did not learn: the test error is not well below the variance of t");
        }

        LossPlot.write(plot, history, variance / 2, NOISE * NOISE / 2);
        System.out.println("Loss curves: " + plot.toAbsolutePath().normalize());
        System.out.printf(Locale.ROOT, "Done in %.1f s.%n", (System.nanoTime() - start) / 1e9);
        if (!ok) {
            System.out.println("\nThe generated and the hand-derived gradient disagree.");
        }
        if (!ok || !learned) {
            System.exit(1);
        }
    }

    private static boolean report(String what, double difference) {
        boolean ok = difference <= TOLERANCE;
        System.out.printf(Locale.ROOT, "  %-66s max relative difference %.2e   %s%n", what, difference,
                ok ? "ok" : "MISMATCH (tolerance " + TOLERANCE + ")");
        return ok;
    }
}
