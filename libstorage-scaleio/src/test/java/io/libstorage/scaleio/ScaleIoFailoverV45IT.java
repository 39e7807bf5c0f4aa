package io.libstorage.scaleio;

/** {@link ScaleIoFailoverIT} against a PowerFlex 4.5 gateway: the host processes log in with bearer tokens. */
class ScaleIoFailoverV45IT extends ScaleIoFailoverIT {
    @Override
    EmulatedScaleIo newGateway(String... hosts) {
        return EmulatedScaleIo.ofVersion("4.5", true, b -> b, hosts);
    }
}
