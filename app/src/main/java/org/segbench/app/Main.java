package org.segbench.app;

import javafx.application.Application;

/**
 * Entry point that does not extend Application, so the JavaFX jars can sit on the plain class
 * path (java -jar) instead of the module path.
 */
public final class Main {
    private Main() { }

    public static void main(String[] args) {
        Application.launch(WorkbenchApp.class, args);
    }
}
