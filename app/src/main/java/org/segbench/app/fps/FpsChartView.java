package org.segbench.app.fps;

import java.util.HashMap;
import java.util.Map;

import javafx.scene.chart.LineChart;
import javafx.scene.chart.NumberAxis;
import javafx.scene.chart.XYChart;
import javafx.scene.layout.VBox;
import javafx.scene.control.Label;

/**
 * FPS of every pane over the last 30 seconds, one line per pane. Points are added by the caller
 * (once a second is plenty); older points are dropped so the chart never grows.
 */
public final class FpsChartView extends VBox {
    public static final double WINDOW_S = 30;
    private final NumberAxis time = new NumberAxis(-WINDOW_S, 0, 5);
    private final NumberAxis fps = new NumberAxis();
    private final LineChart<Number, Number> chart = new LineChart<>(time, fps);
    private final Map<String, XYChart.Series<Number, Number>> series = new HashMap<>();
    private final Map<String, java.util.ArrayDeque<double[]>> points = new HashMap<>();

    public FpsChartView() {
        getStyleClass().addAll("fps-chart-box", "side-section");
        Label title = new Label("FPS, last 30 s");
        title.getStyleClass().add("section-title");
        time.setLabel("s");
        time.setAutoRanging(false);
        fps.setLabel("FPS");
        fps.setForceZeroInRange(true);
        chart.setAnimated(false);
        chart.setCreateSymbols(false);
        chart.setLegendVisible(true);
        chart.setPrefHeight(170);
        chart.setMinHeight(130);
        chart.getStyleClass().add("fps-chart");
        getChildren().addAll(title, chart);
        setSpacing(2);
    }

    /** Adds one sample at time {@code nowS} (seconds, any monotonic origin) for the named pane. */
    public void add(String pane, double nowS, double value) {
        java.util.ArrayDeque<double[]> q = points.computeIfAbsent(pane, k -> new java.util.ArrayDeque<>());
        q.addLast(new double[] {nowS, value});
        while (!q.isEmpty() && q.peekFirst()[0] < nowS - WINDOW_S) q.removeFirst();
        series.computeIfAbsent(pane, k -> {
            XYChart.Series<Number, Number> s = new XYChart.Series<>();
            s.setName(k);
            chart.getData().add(s);
            return s;
        });
    }

    /** Redraws every line relative to {@code nowS}; panes not in {@code keep} are removed. */
    public void refresh(double nowS, java.util.Set<String> keep) {
        points.keySet().removeIf(k -> !keep.contains(k));
        series.entrySet().removeIf(e -> {
            if (keep.contains(e.getKey())) return false;
            chart.getData().remove(e.getValue());
            return true;
        });
        for (Map.Entry<String, XYChart.Series<Number, Number>> e : series.entrySet()) {
            java.util.List<XYChart.Data<Number, Number>> data = new java.util.ArrayList<>();
            for (double[] p : points.getOrDefault(e.getKey(), new java.util.ArrayDeque<>())) {
                if (p[0] >= nowS - WINDOW_S) data.add(new XYChart.Data<>(p[0] - nowS, p[1]));
            }
            e.getValue().getData().setAll(data);
        }
    }
}
