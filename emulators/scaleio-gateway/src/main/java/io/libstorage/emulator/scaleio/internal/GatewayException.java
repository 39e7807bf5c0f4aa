package io.libstorage.emulator.scaleio.internal;

/**
 * An error the gateway answers with {@code {"message","httpStatusCode","errorCode"}}. The codes and texts
 * follow the reference (section 7.3); the factory methods name the MOS return code they stand for.
 */
public final class GatewayException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int httpStatus;
    private final int errorCode;

    public GatewayException(int httpStatus, int errorCode, String message) {
        super(message, null, false, false);
        this.httpStatus = httpStatus;
        this.errorCode = errorCode;
    }

    public int httpStatus() {
        return httpStatus;
    }

    public int errorCode() {
        return errorCode;
    }

    static GatewayException mdm(int errorCode, String message) {
        return new GatewayException(500, errorCode, message);
    }

    /** Gateway-side request validation: HTTP 400, errorCode 0. */
    public static GatewayException badRequest(String message) {
        return new GatewayException(400, 0, message);
    }

    static GatewayException missingParameters(String names) {
        return badRequest("Request message is not valid: The following parameter(s) must be part of the request body: " + names + ".");
    }

    static GatewayException missingOneOf(String names) {
        return badRequest("Request message is not valid: One of the parameter(s) must be part of the request body: " + names + ".");
    }

    static GatewayException badEnum(String parameter, String allowed, String value) {
        return badRequest(parameter + " should get one of the following values: " + allowed + ", but its value is " + value + ".");
    }

    static GatewayException malformedId(String id) {
        return new GatewayException(500, 0, "id (" + id + ") must be a hexadecimal number (unsigned long)");
    }

    static GatewayException notFound() {
        return mdm(3, "Not found");
    }

    static GatewayException volumeNotFound() {
        return mdm(79, "Could not find the volume");
    }

    static GatewayException sdcNotFound() {
        return mdm(80, "Could not find the SDC");
    }

    static GatewayException alreadyMappedToThisSdc() {
        return mdm(81, "The volume is already mapped to this SDC");
    }

    static GatewayException alreadyMappedToAllSdcs() {
        return mdm(82, "The volume is already mapped to all SDCs");
    }

    static GatewayException notMapped() {
        return mdm(84, "The volume is not mapped to SDC");
    }

    static GatewayException nameInUse() {
        return mdm(99, "Volume name already in use. Please use a different name.");
    }

    static GatewayException volumeMapped() {
        return mdm(104, "Volume is mapped");
    }

    static GatewayException decreaseNotSupported() {
        return mdm(133, "Volume capacity can only be increased");
    }

    static GatewayException protectionDomainNotFound() {
        return mdm(142, "Could not find Protection Domain");
    }

    static GatewayException storagePoolNotFound() {
        return mdm(171, "Could not find Storage Pool");
    }

    static GatewayException tooManySnapshots() {
        return mdm(182, "There are too many snapshots in the VTree");
    }

    static GatewayException sizeTooLarge() {
        return mdm(190, "The volume size too large");
    }

    static GatewayException poolNotInDomain() {
        return mdm(197, "The specified Storage Pool is not in the specified Protection Domain");
    }

    static GatewayException removalInProgress() {
        return mdm(212, "A volume removal operation is currently in progress. ");
    }

    static GatewayException sizeIllegal() {
        return mdm(225, "The specified volume size is illegal. Volume size must be in 8 GB blocks");
    }

    static GatewayException longName() {
        return mdm(226, "The given name exceeds the allowed length of 31 characters.");
    }

    static GatewayException invalidName() {
        return mdm(227, "The given name contains invalid characters. Use alphanumeric and punctuation characters only. Spaces are not allowed.");
    }

    static GatewayException mappedElsewhere(int code) {
        return code == 315
                ? mdm(315, "The volume is already mapped to a SDC")
                : mdm(297, "This volume is already mapped and may not be mapped to additional SDCs.");
    }

    static GatewayException sdcNotApproved() {
        return mdm(322, "The SDC is not approved");
    }
}
