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
 * {@code returns.png} of an RL run, drawn with XChart from {@code metrics.jsonl}: the return of
 * every episode at the step it ended (dots) and the mean of the last 100 episodes after each PPO
 * iteration (the figure CleanRL reports).
 */
final class ReturnCurvePlot {

    static final String FILE = "returns.png";

    private ReturnCurvePlot() {
    }

    static void write(Path runDir) throws IOException {
        System.setProperty("java.awt.headless", "true");
        List<Double> episodeX = new ArrayList<>();
        List<Double> episodeY = new ArrayList<>();
        List<Double> meanX = new ArrayList<>();
        List<Double> meanY = new ArrayList<>();
        for (JsonNode n : MetricsLog.read(runDir.resolve(MetricsLog.FILE))) {
            String type = n.path("type").asText();
            if (type.equals("episode") && n.path("return").isNumber()) {
                episodeX.add(n.path("step").asDouble());
                episodeY.add(n.get("return").asDouble());
            } else if (type.equals("iteration") && n.path("mean_return").isNumber()) {
                meanX.add(n.path("step").asDouble());
                meanY.add(n.get("mean_return").asDouble());
            }
        }
        XYChart chart = new XYChartBuilder().width(900).height(540).title("PPO on CartPole-v1")
                .xAxisTitle("environment step").yAxisTitle("episodic return").build();
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideSE);
        if (!episodeX.isEmpty()) {
            XYSeries s = chart.addSeries("each episode", episodeX, episodeY);
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            s.setMarker(SeriesMarkers.CIRCLE);
            chart.getStyler().setMarkerSize(3);
        }
        if (!meanX.isEmpty()) {
            XYSeries s = chart.addSeries("mean of the last 100", meanX, meanY);
            s.setMarker(SeriesMarkers.NONE);
            s.setLineWidth(2f);
        }
        byte[] png = BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
        AtomicFiles.write(runDir.resolve(FILE), png);
    }
}
