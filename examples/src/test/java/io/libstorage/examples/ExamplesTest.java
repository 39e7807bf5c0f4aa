package io.libstorage.examples;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class ExamplesTest {
    private static String run(ThrowingMain main) throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            main.run();
        } finally {
            System.setOut(original);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    interface ThrowingMain {
        void run() throws Exception;
    }

    @Test
    void embeddedUsageWritesAndReadsBack() throws Exception {
        String out = run(() -> EmbeddedUsage.main(new String[0]));
        assertThat(out).contains("mounted orders-db (xfs)").contains("released; mounted now: false").contains("read back: 42,widget");
    }

    @Test
    void theLocalDemoRunsEveryStepAndLeavesNothingBehind() throws Exception {
        String out = run(() -> LocalDemo.main(new String[0]));
        assertThat(out).contains("mount (attach, format, mount)").contains("formatted again: false, data identical")
                .contains("volumes left: 0").contains("left behind: nothing");
    }

    @Test
    void theVirtualBoxDemoRunsTheSameStepsOnTheEmulatedWebService() throws Exception {
        String out = run(() -> VirtualBoxDemo.main(new String[0]));
        assertThat(out).contains("mount (attach, format, mount)").contains("formatted again: false, data identical")
                .contains("volumes left: 0").contains("left behind: nothing");
        if ("root".equals(System.getProperty("user.name"))) {
            assertThat(out).contains("driver: virtualbox").contains("VirtualBox web service (emulated) at");
        }
    }

    @Test
    void theFailoverStoryEndsWithTheDataOnHostB() throws Exception {
        String out = run(() -> FailoverStory.main(new String[0]));
        assertThat(out).contains("host-b took pgdata from host-a")
                .contains("host-b reads: txn 1001 committed")
                .contains("host-c was refused: VOLUME_ATTACHED_TO_OTHER_HOST")
                .contains("reconcile dropped consumers {pgdata=[db.1]}");
    }
}
