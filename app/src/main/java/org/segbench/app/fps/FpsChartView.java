package org.segbench.app.fps;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javafx.scene.chart.LineChart;
import javafx.scene.chart.NumberAxis;
import javafx.scene.chart.XYChart;
import javafx.scene.control.Label;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.VBox;
import javafx.scene.shape.Rectangle;
import javafx.scene.paint.Color;

/**
 * FPS of every pane over the last 30 seconds, one line per pane, with its own legend (the chart's
 * built-in one reassigns colours when a series is removed). Points are added by the caller once a
 * second; older points are dropped so the chart never grows.
 */
public final class FpsChartView extends VBox {
    public static final double WINDOW_S = 30;
    private static final String[] COLOURS = {"#3d8ee8", "#f0b429", "#2e9e4f", "#e0303a", "#b06be0", "#3fc1c9"};

    private final NumberAxis time = new NumberAxis(-WINDOW_S, 0, 5);
    private final NumberAxis fps = new NumberAxis();
    private final LineChart<Number, Number> chart = new LineChart<>(time, fps);
    private final FlowPane legend = new FlowPane(10, 2);
    private final Map<String, XYChart.Series<Number, Number>> series = new LinkedHashMap<>();
    private final Map<String, String> colours = new LinkedHashMap<>();
    private final Map<String, ArrayDeque<double[]>> points = new LinkedHashMap<>();
    private int nextColour;

    public FpsChartView() {
        getStyleClass().addAll("fps-chart-box", "side-section");
        Label title = new Label("FPS, last 30 s");
        title.getStyleClass().add("section-title");
        time.setAutoRanging(false);
        time.setLabel("seconds ago");
        fps.setForceZeroInRange(true);
        chart.setAnimated(false);
        chart.setCreateSymbols(false);
        chart.setLegendVisible(false);
        chart.setPrefHeight(170);
        chart.setMinHeight(120);
        chart.getStyleClass().add("fps-chart");
        legend.getStyleClass().add("fps-legend");
        getChildren().addAll(title, chart, legend);
        setSpacing(2);
    }

    /** Adds one sample at time {@code nowS} (seconds, any monotonic origin) for the named pane. */
    public void add(String pane, double nowS, double value) {
        ArrayDeque<double[]> q = points.computeIfAbsent(pane, k -> new ArrayDeque<>());
        q.addLast(new double[] {nowS, value});
        while (!q.isEmpty() && q.peekFirst()[0] < nowS - WINDOW_S) q.removeFirst();
        if (!series.containsKey(pane)) {
            XYChart.Series<Number, Number> s = new XYChart.Series<>();
            s.setName(pane);
            series.put(pane, s);
            colours.put(pane, COLOURS[nextColour++ % COLOURS.length]);
            chart.getData().add(s);
            rebuildLegend();
        }
    }

    /** Redraws every line relative to {@code nowS}; panes not in {@code keep} are removed. */
    public void refresh(double nowS, Set<String> keep) {
        boolean removed = points.keySet().removeIf(k -> !keep.contains(k));
        removed |= series.entrySet().removeIf(e -> {
            if (keep.contains(e.getKey())) return false;
            chart.getData().remove(e.getValue());
            colours.remove(e.getKey());
            return true;
        });
        if (removed) rebuildLegend();
        for (Map.Entry<String, XYChart.Series<Number, Number>> e : series.entrySet()) {
            List<XYChart.Data<Number, Number>> data = new ArrayList<>();
            for (double[] p : points.getOrDefault(e.getKey(), new ArrayDeque<>())) {
                if (p[0] >= nowS - WINDOW_S) data.add(new XYChart.Data<>(p[0] - nowS, p[1]));
            }
            e.getValue().getData().setAll(data);
            if (e.getValue().getNode() != null) {
                e.getValue().getNode().setStyle("-fx-stroke: " + colours.get(e.getKey()) + "; -fx-stroke-width: 1.8px;");
            }
        }
    }

    private void rebuildLegend() {
        legend.getChildren().clear();
        colours.forEach((name, colour) -> {
            Label l = new Label(name, new Rectangle(10, 3, Color.web(colour)));
            l.getStyleClass().add("fps-legend-item");
            legend.getChildren().add(l);
        });
    }
}
