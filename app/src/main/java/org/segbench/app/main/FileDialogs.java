package org.segbench.app.main;

import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import javafx.stage.DirectoryChooser;
import javafx.stage.FileChooser;
import javafx.stage.Window;

/** The file and folder choosers, remembering the last folder between calls. */
public final class FileDialogs {
    private final Window owner;
    private File lastDir;

    public FileDialogs(Window owner, Path start) {
        this.owner = owner;
        this.lastDir = start.toFile();
    }

    public List<Path> openFiles(String title, String filterName, String... patterns) {
        FileChooser c = chooser(title, filterName, patterns);
        List<File> files = c.showOpenMultipleDialog(owner);
        if (files == null || files.isEmpty()) return List.of();
        lastDir = files.get(0).getParentFile();
        return files.stream().map(File::toPath).toList();
    }

    public Optional<Path> openFile(String title, String filterName, String... patterns) {
        File f = chooser(title, filterName, patterns).showOpenDialog(owner);
        if (f != null) lastDir = f.getParentFile();
        return Optional.ofNullable(f).map(File::toPath);
    }

    public Optional<Path> saveFile(String title, String initialName, String filterName, String... patterns) {
        FileChooser c = chooser(title, filterName, patterns);
        c.setInitialFileName(initialName);
        File f = c.showSaveDialog(owner);
        if (f != null) lastDir = f.getParentFile();
        return Optional.ofNullable(f).map(File::toPath);
    }

    public Optional<Path> openFolder(String title) {
        DirectoryChooser c = new DirectoryChooser();
        c.setTitle(title);
        if (lastDir != null && lastDir.isDirectory()) c.setInitialDirectory(lastDir);
        File f = c.showDialog(owner);
        if (f != null) lastDir = f;
        return Optional.ofNullable(f).map(File::toPath);
    }

    private FileChooser chooser(String title, String filterName, String... patterns) {
        FileChooser c = new FileChooser();
        c.setTitle(title);
        c.getExtensionFilters().add(new FileChooser.ExtensionFilter(filterName, patterns));
        c.getExtensionFilters().add(new FileChooser.ExtensionFilter("All files", "*"));
        if (lastDir != null && lastDir.isDirectory()) c.setInitialDirectory(lastDir);
        return c;
    }
}
