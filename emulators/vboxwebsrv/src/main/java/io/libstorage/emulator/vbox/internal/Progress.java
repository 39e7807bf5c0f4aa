package io.libstorage.emulator.vbox.internal;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** An {@code IProgress}: completes once, successfully (percent 100, result 0) or with an error info. */
final class Progress {
    final String description;
    private final CountDownLatch done = new CountDownLatch(1);
    private volatile int resultCode;
    private volatile ErrorInfo errorInfo;
    private volatile int percent;

    Progress(String description) {
        this.description = description;
    }

    void succeed() {
        percent = 100;
        done.countDown();
    }

    void fail(ErrorInfo error) {
        errorInfo = error;
        resultCode = error.resultCode();
        done.countDown();
    }

    boolean completed() {
        return done.getCount() == 0;
    }

    int resultCode() {
        return resultCode;
    }

    ErrorInfo errorInfo() {
        return errorInfo;
    }

    int percent() {
        return percent;
    }

    /** {@code IProgress::waitForCompletion}: -1 waits until done, 0 returns at once. Returns normally on timeout. */
    void await(int timeoutMillis) throws InterruptedException {
        if (timeoutMillis < 0) {
            done.await();
        } else {
            done.await(timeoutMillis, TimeUnit.MILLISECONDS);
        }
    }
}
