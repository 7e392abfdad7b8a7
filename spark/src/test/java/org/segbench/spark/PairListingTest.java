package org.segbench.spark;

import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segbench.engine.SegbenchException;
import org.segbench.engine.metrics.EvalPairs;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The inputs of the eval job: the three list forms, read through Hadoop's file system API (no Spark needed). */
class PairListingTest {
    private final HadoopFiles files = new HadoopFiles(new Configuration());

    @TempDir
    Path tmp;

    @Test
    void aGlobThroughHadoopFindsTheSamePairsAsTheEnginesFolderMatch() throws Exception {
        Path images = LocalSpark.CAMVID.resolve("val");
        Path labels = LocalSpark.CAMVID.resolve("valannot");
        // a glob takes the Hadoop listing (the one clusters use), a folder the engine's
        List<ImagePair> globbed = PairListing.read(files, null, images + "/*.png", labels.toString(), "camvid");
        List<String> engine = EvalPairs.matchFolders(images, labels, "camvid").stream()
                .map(p -> p.image() + " " + p.label()).toList();
        assertEquals(101, globbed.size());
        assertEquals(engine, globbed.stream().map(p -> local(p.image()) + " " + local(p.label())).toList());
    }

    /** {@code file:/x} as {@code /x}: Hadoop names local files with their scheme. */
    private static String local(String hadoopPath) {
        return hadoopPath.replaceFirst("^file:", "");
    }

    @Test
    void csvPathsAreRelativeToTheListsFolderAndTheHeaderIsSkipped() throws Exception {
        Path csv = tmp.resolve("pairs.csv");
        Files.writeString(csv, "image,label\nimgs/a.png, gt/a.png\n\n/abs/b.png,/abs/b_gt.png\n");
        List<ImagePair> pairs = PairListing.read(files, csv.toString(), null, null, "camvid");
        assertEquals(2, pairs.size());
        assertTrue(pairs.get(0).image().endsWith(tmp.resolve("imgs/a.png").toString()), pairs.get(0).image());
        assertTrue(pairs.get(0).label().endsWith(tmp.resolve("gt/a.png").toString()), pairs.get(0).label());
        assertEquals("/abs/b.png", pairs.get(1).image());
        assertEquals(1, pairs.get(1).index());
    }

    @Test
    void aMalformedLineNamesTheListAndTheLine() throws Exception {
        Path csv = tmp.resolve("bad.csv");
        Files.writeString(csv, "a.png,b.png\nonly-one-column\n");
        SegbenchException e = assertThrows(SegbenchException.class,
                () -> PairListing.read(files, csv.toString(), null, null, "camvid"));
        assertEquals(csv + ": line 2 is not 'image,label': only-one-column", e.getMessage());
    }
}
