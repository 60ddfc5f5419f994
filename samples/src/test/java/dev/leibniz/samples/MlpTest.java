package dev.leibniz.samples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leibniz.GradientCheck;
import dev.leibniz.GradientReport;
import dev.leibniz.Tape;
import dev.leibniz.samples.TrainMlp.DataSet;
import dev.leibniz.samples.TrainMlp.Split;
import dev.leibniz.samples.TrainMlp.Weights;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The gradient Leibniz generated for the article's network, against backpropagation by hand and the gradient check. */
class MlpTest {
    private static final double BETA = 2.0;
    private static final Split DATA = TrainMlp.makeData(TrainMlp.GRID, TrainMlp.DATA_SEED);

    /** Random weights of a 2-5-4-1 network (small, odd sizes: nothing may assume square layers). */
    private static Weights weights(long seed) {
        return Weights.random(2, 5, 4, seed);
    }

    private static double[] point(Random random) {
        return new double[] {4 * random.nextDouble() - 2, 4 * random.nextDouble() - 2};
    }

    @Test
    void generatedGradientAgreesWithHandDerivedBackpropagation() {
        Random random = new Random(1);
        double worst = 0;
        for (long seed = 1; seed <= 5; seed++) {
            Weights w = Weights.random(2, 8, 8, seed);
            for (int p = 0; p < 4; p++) {
                double[] x = point(random);
                double t = random.nextGaussian();
                double[] generated = TrainMlp.gradient(TrainMlp.GENERATED, w, x, t, BETA);
                double[] byHand = TrainMlp.gradient(TrainMlp.BY_HAND, w, x, t, BETA);
                worst = Math.max(worst, TrainMlp.maxRelativeDifference(generated, byHand));
            }
        }
        assertTrue(worst <= 1e-12, "largest relative difference " + worst);
    }

    @Test
    void everyGeneratedFormAgreesWithDifferencesOfTheLoss() {
        // The record, the pullback, the accumulate form (new and reused tape) and the differential, weight by weight
        Random random = new Random(2);
        GradientCheck check = GradientCheck.of(Mlp.class, "loss");
        for (long seed = 10; seed <= 12; seed++) {
            Weights w = weights(seed);
            check = check.at(w.w1(), w.w2(), w.w3(), point(random), random.nextGaussian(), BETA);
        }
        GradientReport report = check.check();
        // 2-5-4-1: 5 x 3 + 4 x 6 + 5 weights; the value and each weight from 5 forms, at 3 points
        assertEquals(3 * 5 * (1 + 44), report.comparisons().size());
        assertEquals(Set.of("value", "w1", "w2", "w3"),
                report.comparisons().stream().map(c -> c.parameter()).collect(Collectors.toSet()));
    }

    @Test
    void theNetworkBuiltFromALayerHelperHasTheSameGradientInEveryForm() {
        Random random = new Random(3);
        GradientCheck check = GradientCheck.of(Mlp.class, "lossWithLayers");
        for (long seed = 20; seed <= 22; seed++) {
            Weights w = weights(seed);
            double[] x = point(random);
            double t = random.nextGaussian();
            check = check.at(w.w1(), w.w2(), w.w3(), x, t, BETA);
            Weights inline = w.zeros();
            Weights layered = w.zeros();
            double value = MlpGradient.lossAccumulate(w.w1(), w.w2(), w.w3(), x, t, BETA, inline.w1(), inline.w2(),
                    inline.w3(), new Tape());
            double same = MlpGradient.lossWithLayersAccumulate(w.w1(), w.w2(), w.w3(), x, t, BETA, layered.w1(),
                    layered.w2(), layered.w3(), new Tape());
            assertEquals(value, same, 1e-15);
            assertArrayEquals(inline.flatten(), layered.flatten(), 1e-14);
        }
        assertEquals(3 * 5 * (1 + 44), check.check().comparisons().size());
    }

    @Test
    void valueIsTheLossItselfAndTheRecordFormHasTheSameGradient() {
        Weights w = weights(3);
        double[] x = {0.4, -1.3};
        double t = 0.2;
        Weights dw = w.zeros();
        double value = MlpGradient.lossAccumulate(w.w1(), w.w2(), w.w3(), x, t, BETA, dw.w1(), dw.w2(), dw.w3(),
                new Tape());
        assertEquals(Mlp.loss(w.w1(), w.w2(), w.w3(), x, t, BETA), value);

        MlpGradient.Loss loss = MlpGradient.loss(w.w1(), w.w2(), w.w3(), x, t, BETA);
        assertEquals(value, loss.value());
        assertArrayEquals(dw.flatten(), new Weights(loss.w1(), loss.w2(), loss.w3()).flatten());
    }

    @Test
    void accumulateAddsIntoTheBuffersAndLeavesTheWeightsAlone() {
        Weights w = weights(4);
        double[] before = w.flatten();
        double[] x = {-0.7, 1.1};
        double t = -0.3;
        Weights dw = w.zeros();
        Tape tape = new Tape();
        MlpGradient.lossAccumulate(w.w1(), w.w2(), w.w3(), x, t, BETA, dw.w1(), dw.w2(), dw.w3(), tape);
        double[] once = dw.flatten();
        MlpGradient.lossAccumulate(w.w1(), w.w2(), w.w3(), x, t, BETA, dw.w1(), dw.w2(), dw.w3(), tape);
        double[] twice = dw.flatten();
        for (int i = 0; i < once.length; i++) {
            assertEquals(2 * once[i], twice[i], "entry " + i); // g + g is exact
        }
        assertTrue(once[0] != 0);
        assertArrayEquals(before, w.flatten());
    }

    @Test
    void pullbackScalesTheGradientByTheAdjointOfTheLoss() {
        Weights w = weights(5);
        double[] x = {1.5, 0.25};
        double t = 0.9;
        double[] gradient = TrainMlp.gradient(TrainMlp.GENERATED, w, x, t, BETA);
        Weights dw = w.zeros();
        MlpGradient.lossPullback(w.w1(), w.w2(), w.w3(), x, t, BETA, -3.0, dw.w1(), dw.w2(), dw.w3());
        double[] scaled = dw.flatten();
        for (int i = 0; i < gradient.length; i++) {
            assertEquals(-3.0 * gradient[i], scaled[i], 1e-14 * Math.abs(gradient[i]), "entry " + i);
        }
    }

    @Test
    void aFewEpochsOfSgdLowerTheLoss() {
        Weights w = Weights.random(2, 8, 8, TrainMlp.WEIGHT_SEED);
        double trainBefore = TrainMlp.meanLoss(w, DATA.train(), BETA);
        double testBefore = TrainMlp.meanLoss(w, DATA.test(), BETA);
        TrainMlp.History history = TrainMlp.train(w, DATA, TrainMlp.GENERATED, 0.05, BETA, 3, 42,
                (epoch, sgd, train, test) -> { });
        assertTrue(history.trainLoss()[2] < trainBefore / 2, history.trainLoss()[2] + " vs " + trainBefore);
        assertTrue(history.testLoss()[2] < testBefore / 2, history.testLoss()[2] + " vs " + testBefore);
        assertEquals(TrainMlp.meanLoss(w, DATA.train(), BETA), history.trainLoss()[2]);
    }

    @Test
    void trainingWithGeneratedAndHandDerivedGradientsEndsWithTheSameWeights() {
        Weights initial = Weights.random(2, 8, 8, TrainMlp.WEIGHT_SEED);
        Weights generated = initial.copy();
        Weights byHand = initial.copy();
        TrainMlp.History a = TrainMlp.train(generated, DATA, TrainMlp.GENERATED, 0.05, BETA, 5, 42,
                (epoch, sgd, train, test) -> { });
        TrainMlp.History b = TrainMlp.train(byHand, DATA, TrainMlp.BY_HAND, 0.05, BETA, 5, 42,
                (epoch, sgd, train, test) -> { });
        double difference = TrainMlp.maxRelativeDifference(generated.flatten(), byHand.flatten());
        assertTrue(difference <= 1e-12, "largest relative difference " + difference);
        assertTrue(TrainMlp.maxRelativeDifference(a.testLoss(), b.testLoss()) <= 1e-12);
    }

    @Test
    void dataAreSeededAndSplitFourToOne() {
        Split again = TrainMlp.makeData(TrainMlp.GRID, TrainMlp.DATA_SEED);
        assertArrayEquals(DATA.train().t(), again.train().t());
        assertArrayEquals(DATA.test().t(), again.test().t());
        DataSet train = DATA.train();
        assertEquals(TrainMlp.GRID * TrainMlp.GRID, train.size() + DATA.test().size());
        assertEquals(TrainMlp.GRID * TrainMlp.GRID / 5, DATA.test().size());
        for (int p = 0; p < train.size(); p++) {
            double[] x = train.x()[p];
            assertEquals(Math.sin(x[0]) * Math.cos(x[1]), train.t()[p], 5 * TrainMlp.NOISE);
        }
    }
}
