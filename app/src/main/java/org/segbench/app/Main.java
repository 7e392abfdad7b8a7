package org.segbench.app;

import javafx.application.Application;

import java.io.PrintWriter;
import java.util.OptionalInt;

/**
 * Entry point that does not extend Application, so the JavaFX jars can sit on the plain class
 * path (java -jar) instead of the module path.
 */
public final class Main {
    private Main() { }

    public static void main(String[] args) {
        // arguments are checked before the toolkit starts: a typo is one line and the usage, not
        // a stack trace from inside the JavaFX launcher
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        OptionalInt exit = AppOptions.check(args, out, err);
        if (exit.isPresent()) {
            System.exit(exit.getAsInt());
        }
        Application.launch(WorkbenchApp.class, args);
    }
}
