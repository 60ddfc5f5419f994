package dev.leibniz.samples;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.Locale;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** The loss curves of {@link TrainMlp} as a PNG, drawn with JFreeChart without a display. */
public final class LossPlot {
    private LossPlot() {
    }

    /**
     * Writes train and test loss per epoch, on a logarithmic axis, to {@code png} (creating its folder), with two
     * reference lines: the loss of always predicting the mean target ({@code meanPredictor}, half the variance of
     * the targets) and the loss of a perfect fit to noisy targets ({@code noiseFloor}, half the noise variance).
     */
    public static void write(Path png, TrainMlp.History history, double meanPredictor, double noiseFloor)
            throws IOException {
        // Before any AWT class loads: no display is needed, or wanted, to draw into an image.
        System.setProperty("java.awt.headless", "true");

        XYSeries train = new XYSeries("train");
        XYSeries test = new XYSeries("test");
        for (int epoch = 0; epoch < history.trainLoss().length; epoch++) {
            train.add(epoch + 1, history.trainLoss()[epoch]);
            test.add(epoch + 1, history.testLoss()[epoch]);
        }
        XYSeriesCollection dataset = new XYSeriesCollection();
        dataset.addSeries(train);
        dataset.addSeries(test);

        JFreeChart chart = ChartFactory.createXYLineChart(
                "MLP trained by SGD with Leibniz's generated gradient", "epoch", "mean loss 1/2 (y - t)\u00b2",
                dataset, PlotOrientation.VERTICAL, true, false, false);
        XYPlot plot = chart.getXYPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        NumberAxis epochs = (NumberAxis) plot.getDomainAxis();
        epochs.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        epochs.setRange(0.5, history.trainLoss().length + 0.5);
        LogAxis loss = new LogAxis("mean loss 1/2 (y - t)\u00b2 (log scale)");
        DecimalFormat plain = new DecimalFormat("0.####", DecimalFormatSymbols.getInstance(Locale.ROOT));
        loss.setTickUnit(new NumberTickUnit(1.0, plain, 10));
        loss.setNumberFormatOverride(plain);
        loss.setMinorTickMarksVisible(true);
        plot.setRangeMinorGridlinesVisible(true);
        plot.setRangeMinorGridlinePaint(new Color(0xeeeeee));
        double low = noiseFloor;
        double high = meanPredictor;
        for (int epoch = 0; epoch < history.trainLoss().length; epoch++) {
            low = Math.min(low, Math.min(history.trainLoss()[epoch], history.testLoss()[epoch]));
            high = Math.max(high, Math.max(history.trainLoss()[epoch], history.testLoss()[epoch]));
        }
        loss.setRange(low / 1.5, high * 1.5);
        plot.setRangeAxis(loss);
        plot.addRangeMarker(marker(meanPredictor, "always predicting the mean target (variance of t / 2)"));
        plot.addRangeMarker(marker(noiseFloor, "noise floor (noise variance / 2)"));

        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
        renderer.setSeriesPaint(0, new Color(0x1f77b4));
        renderer.setSeriesPaint(1, new Color(0xd62728));
        renderer.setSeriesStroke(0, new BasicStroke(2f));
        renderer.setSeriesStroke(1, new BasicStroke(2f));
        plot.setRenderer(renderer);

        Path folder = png.toAbsolutePath().getParent();
        if (folder != null) {
            Files.createDirectories(folder);
        }
        ChartUtils.saveChartAsPNG(png.toFile(), chart, 900, 540);
    }

    private static ValueMarker marker(double value, String label) {
        ValueMarker marker = new ValueMarker(value, Color.GRAY,
                new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
        marker.setLabel(label);
        marker.setLabelAnchor(RectangleAnchor.TOP_RIGHT);
        marker.setLabelTextAnchor(TextAnchor.BOTTOM_RIGHT);
        marker.setLabelPaint(Color.DARK_GRAY);
        marker.setLabelBackgroundColor(Color.WHITE);
        return marker;
    }
}
