package io.libstorage.testing;

import io.libstorage.testing.tck.IntegrationContract;
import io.libstorage.testing.tck.TckTarget;

class InMemoryIntegrationConformanceTest extends IntegrationContract {
    @Override
    protected TckTarget createTarget() {
        return new InMemoryTarget();
    }
}
