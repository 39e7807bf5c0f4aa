package io.libstorage.tck;


class InMemoryIntegrationConformanceTest extends IntegrationContract {
    @Override
    protected TckTarget createTarget() {
        return new InMemoryTarget();
    }
}
