package io.libstorage.emulator.scaleio.internal.host;

import java.io.IOException;
import java.nio.file.Path;

/**
 * What stands behind volumes and mappings on this machine. {@link #none()} keeps volumes purely in the
 * model (protocol tests without root); {@link LoopDataPath} backs them with sparse files and real loop devices.
 */
public interface DataPath extends AutoCloseable {

    void create(String volumeId, long sizeBytes) throws IOException;

    /** A snapshot's data: a sparse-preserving copy of the source. */
    void copy(String sourceId, String targetId) throws IOException;

    /** Grows the backing file and tells every loop device of the volume about it. */
    void resize(String volumeId, long sizeBytes) throws IOException;

    void delete(String volumeId) throws IOException;

    /** Makes the volume appear on the host of {@code sdcId} as {@code <deviceDir>/emc-vol-<systemId>-<volumeId>}. */
    void map(String systemId, String volumeId, String sdcId, Path deviceDir) throws IOException;

    void unmap(String systemId, String volumeId, String sdcId) throws IOException;

    /** The device the volume is attached as on that SDC's host, or null. */
    Path device(String volumeId, String sdcId);

    /** Detaches every device and removes every link this data path created. */
    @Override
    void close();

    static DataPath none() {
        return new DataPath() {
            @Override
            public void create(String volumeId, long sizeBytes) {
            }

            @Override
            public void copy(String sourceId, String targetId) {
            }

            @Override
            public void resize(String volumeId, long sizeBytes) {
            }

            @Override
            public void delete(String volumeId) {
            }

            @Override
            public void map(String systemId, String volumeId, String sdcId, Path deviceDir) {
            }

            @Override
            public void unmap(String systemId, String volumeId, String sdcId) {
            }

            @Override
            public Path device(String volumeId, String sdcId) {
                return null;
            }

            @Override
            public void close() {
            }
        };
    }

    /** The device link name a real SDC's udev rules create. */
    static String linkName(String systemId, String volumeId) {
        return "emc-vol-" + systemId + "-" + volumeId;
    }
}
