package io.libstorage.emulator.scaleio.internal;

import io.libstorage.emulator.scaleio.internal.host.DataPath;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * The emulated MDM: systems, protection domains, storage pools, VTrees, volumes, snapshots, SDCs and
 * mappings, with the validation rules and error codes of the reference, in one group per family of
 * endpoints ({@link #topology}, {@link #volumes}, {@link #mappings}, {@link #snapshots}, {@link #sdcs},
 * {@link #statistics}) over one shared state. Thread-safe: reads take a read lock and return immutable
 * snapshots (so large lists are serialised outside the lock), writes take the write lock, including the
 * data-path side effects they cause.
 */
public final class Gateway implements AutoCloseable {
    /**
     * Behaviour switches for the reference's open points.
     *
     * @param queryMissErrorCode       errorCode of a {@code queryIdByKey} miss: 3 ({@code Not found}, 2.x) or 79
     * @param mappedElsewhereErrorCode 297 or 315 for a second mapping without {@code allowMultipleMappings}
     * @param snapshotsPerVTree        snapshot limit per VTree (31 on 2.x, 126 on 3.x), then errorCode 182
     * @param removalDelay             how long a removed volume answers 212 before it is gone (zero: synchronous)
     * @param restrictedSdcMode        whether unapproved SDCs may not be mapped (errorCode 322)
     * @param maxVolumeSizeKb          larger sizes give errorCode 190
     * @param poolCapacityKb           the capacity each storage pool reports
     * @param mdmIps                   the MDM IPs reported by {@code drv_cfg --query_mdms}
     * @param mdmPort                  the MDM port (for the System object)
     * @param drvCfgRoot               where hosts' {@code drv_cfg} scripts go unless an SDC names its own path
     * @param hostRoot                 if set, each host without explicit paths is simulated under {@code <hostRoot>/<GUID>/}
     *                                 ({@code dev/disk/by-id}, {@code opt/emc/scaleio/sdc/bin/drv_cfg}); null: real {@code /dev/disk/by-id}
     */
    public record Options(int queryMissErrorCode, int mappedElsewhereErrorCode, int snapshotsPerVTree, Duration removalDelay,
                          boolean restrictedSdcMode, long maxVolumeSizeKb, long poolCapacityKb, List<String> mdmIps,
                          int mdmPort, Path drvCfgRoot, Path hostRoot) {
    }

    private final Options options;
    private final Connectivity connectivity;
    private final MdmState state;
    private final Topology topology;
    private final Volumes volumes;
    private final Mappings mappings;
    private final Snapshots snapshots;
    private final Sdcs sdcs;
    private final Statistics statistics;

    public Gateway(Options options, Clock clock, DataPath dataPath, Connectivity connectivity) {
        this.options = options;
        this.connectivity = connectivity;
        this.state = new MdmState(options, clock, dataPath);
        this.topology = new Topology(state);
        this.volumes = new Volumes(state);
        this.mappings = new Mappings(state);
        this.snapshots = new Snapshots(state);
        this.sdcs = new Sdcs(state);
        this.statistics = new Statistics(state);
    }

    public Connectivity connectivity() {
        return connectivity;
    }

    public Options options() {
        return options;
    }

    /** Systems, protection domains, storage pools. */
    public Topology topology() {
        return topology;
    }

    /** Volumes and VTrees. */
    public Volumes volumes() {
        return volumes;
    }

    /** Mappings of volumes to SDCs. */
    public Mappings mappings() {
        return mappings;
    }

    /** Snapshots and consistency groups. */
    public Snapshots snapshots() {
        return snapshots;
    }

    /** SDCs and their hosts. */
    public Sdcs sdcs() {
        return sdcs;
    }

    /** Statistics of every object type. */
    public Statistics statistics() {
        return statistics;
    }

    /** The device a volume is attached as on an SDC's host (data path on), or null. */
    public Path device(String volumeId, String sdcId) {
        return state.read(() -> state.dataPath.device(volumeId, sdcId));
    }

    @Override
    public void close() {
        state.close();
    }
}
