package org.gpt4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.gpt4j.io.AtomicFiles;
import org.gpt4j.train.MetricsLog;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * {@code loss.png} in a run directory, drawn with XChart from {@code metrics.jsonl}: the loss of
 * every training step (a noisy line) and the train and validation losses of each evaluation.
 */
final class LossCurvePlot {

    static final String FILE = "loss.png";

    private LossCurvePlot() {
    }

    static void write(Path runDir) throws IOException {
        System.setProperty("java.awt.headless", "true");
        List<JsonNode> lines = MetricsLog.read(runDir.resolve(MetricsLog.FILE));
        List<Double> stepX = new ArrayList<>();
        List<Double> stepY = new ArrayList<>();
        List<Double> evalX = new ArrayList<>();
        List<Double> evalTrain = new ArrayList<>();
        List<Double> evalVal = new ArrayList<>();
        for (JsonNode n : lines) {
            double step = n.path("step").asDouble();
            if (n.path("type").asText().equals("step") && n.path("loss").isNumber()) {
                stepX.add(step);
                stepY.add(n.get("loss").asDouble());
            } else if (n.path("type").asText().equals("eval") && n.path("val_loss").isNumber()) {
                evalX.add(step);
                evalTrain.add(n.path("train_loss").asDouble());
                evalVal.add(n.get("val_loss").asDouble());
            }
        }
        XYChart chart = new XYChartBuilder().width(900).height(540).title("gpt4j training loss")
                .xAxisTitle("step").yAxisTitle("cross-entropy (nats per token)").build();
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNE);
        if (!stepX.isEmpty()) {
            XYSeries s = chart.addSeries("train (each step's batch)", stepX, stepY);
            s.setMarker(SeriesMarkers.NONE);
            s.setLineWidth(1f);
        }
        if (!evalX.isEmpty()) {
            chart.addSeries("train (evaluation)", evalX, evalTrain).setMarker(SeriesMarkers.CIRCLE);
            chart.addSeries("validation", evalX, evalVal).setMarker(SeriesMarkers.DIAMOND);
        }
        byte[] png = BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
        AtomicFiles.write(runDir.resolve(FILE), png);
    }
}
