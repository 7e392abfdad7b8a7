package org.segbench.app;

import javafx.application.Application;
import javafx.scene.Scene;
import javafx.stage.Stage;

import org.segbench.app.main.MainWindow;
import org.segbench.app.main.WorkbenchViewModel;
import org.segbench.app.notify.Notifier;
import org.segbench.app.prefs.RecentModels;
import org.segbench.engine.OpenCv;

/** The JavaFX application: builds the services, the view-model and the window, then opens the defaults. */
public final class WorkbenchApp extends Application {
    private WorkbenchViewModel vm;

    @Override
    public void start(Stage stage) {
        AppOptions options = AppOptions.parse(getParameters().getRaw().toArray(String[]::new));
        vm = open(stage, options);
    }

    /** Builds the window on a stage and opens what the options name. Shared with the UI tests. */
    public static WorkbenchViewModel open(Stage stage, AppOptions options) {
        OpenCv.load();
        Notifier notifier = new Notifier();
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
        stage.setOnHidden(e -> vm.close());

        vm.player().loopProperty().set(options.loop());
        if (options.play()) vm.player().play();
        for (var m : options.models()) vm.addModel(m);
        if (options.groundTruth() != null) vm.attachGroundTruth(options.groundTruth());
        if (options.source() != null) vm.openSource(options.source());
        if (options.models().isEmpty()) {
            notifier.warn("No models", "none in assets/models/ — add one with Models ▸ Add model…");
        }
        return vm;
    }

    @Override
    public void stop() {
        if (vm != null) vm.close();
    }
}
