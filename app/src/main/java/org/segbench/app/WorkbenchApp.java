package org.segbench.app;

import javafx.animation.PauseTransition;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.stage.Stage;
import javafx.util.Duration;

import org.segbench.app.export.Snapshots;
import org.segbench.app.main.MainWindow;
import org.segbench.app.main.WorkbenchViewModel;
import org.segbench.app.notify.Notifier;
import org.segbench.app.prefs.RecentModels;
import org.segbench.app.report.RunReport;
import org.segbench.engine.OpenCv;
import org.segbench.engine.session.SharedThreadPool;

/** The JavaFX application: builds the services, the view-model and the window, then opens the defaults. */
public final class WorkbenchApp extends Application {
    private WorkbenchViewModel vm;

    @Override
    public void start(Stage stage) {
        AppOptions options = AppOptions.parse(getParameters().getRaw().toArray(String[]::new));
        vm = open(stage, options);
        if (options.quitAfterS() > 0) smokeTest(stage, options);
    }

    /**
     * --snapshot / --quit-after / --report: save what is on screen and each pane's speed after the
     * warm-up, then exit with 0 only if every pane predicted.
     */
    private void smokeTest(Stage stage, AppOptions options) {
        RunReport[] report = new RunReport[1];
        if (options.report() != null) {
            PauseTransition warmUp = new PauseTransition(Duration.seconds(options.warmUpS()));
            warmUp.setOnFinished(e -> report[0] = RunReport.begin(vm.panes()));
            warmUp.play();
        }
        PauseTransition wait = new PauseTransition(Duration.seconds(options.quitAfterS()));
        wait.setOnFinished(e -> {
            boolean ok = !vm.panes().isEmpty() && vm.panes().stream().allMatch(p -> p.result() != null);
            if (report[0] != null) {
                try {
                    report[0].write(options.report(), vm.panes(), vm.player().paceProperty().get(),
                            vm.player().descriptionProperty().get(), options.warmUpS());
                } catch (Exception ex) {
                    System.err.println("workbench: cannot write " + options.report() + ": " + ex.getMessage());
                    ok = false;
                }
            }
            if (options.snapshot() != null) {
                try {
                    Snapshots.savePng(Snapshots.take(stage.getScene().getRoot()), options.snapshot());
                } catch (Exception ex) {
                    System.err.println("workbench: cannot write " + options.snapshot() + ": " + ex.getMessage());
                    ok = false;
                }
            }
            System.err.println("workbench: " + vm.panes().size() + " panes, "
                    + vm.panes().stream().filter(p -> p.result() != null).count() + " with predictions, source "
                    + vm.player().descriptionProperty().get() + (ok ? " - OK" : " - FAILED"));
            // Close the panes first: it waits for an inference in flight, so the JVM never exits
            // under a worker that is inside ONNX Runtime's native code (that crashed the process).
            vm.closeAndWait(10_000);
            Platform.exit();
            System.exit(ok ? 0 : 1);
        });
        wait.play();
    }

    /** Builds the window on a stage and opens what the options name. Shared with the UI tests. */
    public static WorkbenchViewModel open(Stage stage, AppOptions options) {
        OpenCv.load();
        // Before any model opens: one ONNX Runtime pool for all panes, idle threads asleep (BENCHMARKS.md).
        if (options.sharedThreads()) SharedThreadPool.install(inferenceThreads(), false);
        Notifier notifier = new Notifier(Platform::runLater);
        WorkbenchViewModel vm = new WorkbenchViewModel(options.root(), notifier, RecentModels.forUser());
        MainWindow window = new MainWindow(vm);
        Scene scene = new Scene(window, 1440, 880);
        scene.getStylesheets().add(WorkbenchApp.class.getResource("workbench.css").toExternalForm());
        stage.setTitle("segbench workbench");
        stage.setScene(scene);
        stage.setUserData(window);
        stage.show();
        window.attach(stage);
        window.installKeys();
        // waits (bounded) for each pane's running frame: a JVM that exits right after (tests, quit)
        // must not do so under a worker inside ONNX Runtime's native code
        stage.setOnHidden(e -> vm.closeAndWait(5_000));

        vm.player().loopProperty().set(options.loop());
        vm.player().paceProperty().set(options.pace());
        if (options.play()) vm.player().play();
        for (var m : options.models()) vm.addModel(m);
        if (options.groundTruth() != null) vm.attachGroundTruth(options.groundTruth());
        if (options.source() != null) vm.openSource(options.source());
        if (options.models().isEmpty()) {
            notifier.warn("No models", "none in assets/models/ — add one with Models ▸ Add model…");
        }
        return vm;
    }

    /**
     * Threads of the shared ONNX Runtime pool: half the cores, at least one. The other half decodes,
     * converts, draws and runs the FX thread; on two cores one inference thread that is never
     * preempted mid-operator beats two that are (BENCHMARKS.md, "The workbench pane").
     */
    static int inferenceThreads() {
        return Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
    }

    @Override
    public void stop() {
        if (vm != null) vm.closeAndWait(10_000);
    }
}
