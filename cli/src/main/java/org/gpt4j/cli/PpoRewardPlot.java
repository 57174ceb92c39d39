package org.gpt4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.gpt4j.io.AtomicFiles;
import org.gpt4j.rl.LmPpoMetricsLog;
import org.gpt4j.train.MetricsLog;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * {@code reward.png} of an {@code rl ppo} run, drawn with XChart from {@code metrics.jsonl}: the
 * mean reward-model score of each step's responses and the KL to the reference (the two curves
 * TRL's sentiment example shows), on one axis: both are nats-like scalars of similar size.
 */
final class PpoRewardPlot {

    static final String FILE = "reward.png";

    private PpoRewardPlot() {
    }

    static void write(Path runDir) throws IOException {
        System.setProperty("java.awt.headless", "true");
        List<Double> x = new ArrayList<>();
        List<Double> score = new ArrayList<>();
        List<Double> kl = new ArrayList<>();
        for (JsonNode n : MetricsLog.read(runDir.resolve(MetricsLog.FILE))) {
            if (n.path("type").asText().equals(LmPpoMetricsLog.STEP) && n.path("score").isNumber()) {
                x.add(n.path("step").asDouble());
                score.add(n.get("score").asDouble());
                kl.add(n.path("kl").asDouble());
            }
        }
        XYChart chart = new XYChartBuilder().width(900).height(540).title("PPO on a language model")
                .xAxisTitle("PPO step").yAxisTitle("mean per response").build();
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNW);
        if (!x.isEmpty()) {
            XYSeries s = chart.addSeries("reward-model score", x, score);
            s.setMarker(SeriesMarkers.NONE);
            s.setLineWidth(2f);
            XYSeries k = chart.addSeries("KL to the reference (nats, summed over the response)", x, kl);
            k.setMarker(SeriesMarkers.NONE);
        }
        byte[] png = BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
        AtomicFiles.write(runDir.resolve(FILE), png);
    }
}
