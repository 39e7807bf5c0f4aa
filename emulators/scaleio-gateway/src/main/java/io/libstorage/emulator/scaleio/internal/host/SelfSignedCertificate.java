package io.libstorage.emulator.scaleio.internal.host;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * A fresh self-signed server certificate made by the JDK's {@code keytool} (no hand-written crypto), with
 * subject alternative names for the given host names and IP addresses. The keystore password is random
 * and reaches keytool through its environment, never its command line.
 *
 * @param keyStore    the PKCS12 keystore holding the key pair under {@link #ALIAS}
 * @param password    the keystore and key password
 * @param certificate the server certificate
 */
public record SelfSignedCertificate(KeyStore keyStore, char[] password, X509Certificate certificate) {
    public static final String ALIAS = "gateway";
    private static final Pattern DNS = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?");
    private static final Pattern IP = Pattern.compile("[0-9A-Fa-f:.]+");

    private static final Map<List<String>, SelfSignedCertificate> CACHE = new ConcurrentHashMap<>();

    /**
     * The certificate for these names, generated on first use and then shared by every emulator in this JVM
     * (keytool costs a JVM start; tests start many emulators).
     */
    public static SelfSignedCertificate forNames(List<String> dnsNames, List<String> ips) throws IOException {
        List<String> key = new ArrayList<>(dnsNames);
        key.add("|");
        key.addAll(ips);
        SelfSignedCertificate cached = CACHE.get(key);
        if (cached != null) {
            return cached;
        }
        synchronized (CACHE) {
            cached = CACHE.get(key);
            if (cached == null) {
                Path dir = Files.createTempDirectory("scaleio-emulator-tls-");
                try {
                    cached = generate(dir, dnsNames, ips);
                } finally {
                    Files.deleteIfExists(dir.resolve("gateway.p12"));
                    Files.deleteIfExists(dir);
                }
                CACHE.put(List.copyOf(key), cached);
            }
            return cached;
        }
    }

    static SelfSignedCertificate generate(Path dir, List<String> dnsNames, List<String> ips) throws IOException {
        Path store = dir.resolve("gateway.p12");
        List<String> san = new ArrayList<>();
        for (String d : dnsNames) {
            if (!DNS.matcher(d).matches()) {
                throw new IllegalArgumentException("invalid TLS host name: " + d);
            }
            san.add("dns:" + d);
        }
        for (String ip : ips) {
            if (!IP.matcher(ip).matches()) {
                throw new IllegalArgumentException("invalid TLS IP address: " + ip);
            }
            san.add("ip:" + ip);
        }
        byte[] secret = new byte[18];
        new SecureRandom().nextBytes(secret);
        String password = HexFormat.of().formatHex(secret);
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        Commands.Result r = Commands.run(List.of(keytool, "-genkeypair", "-alias", ALIAS,
                        "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "3650",
                        "-dname", "CN=" + commonName(dnsNames, ips) + ", O=libstorage scaleio-gateway-emulator",
                        "-ext", "SAN=" + String.join(",", san),
                        "-keystore", store.toString(), "-storetype", "PKCS12", "-storepass:env", "EMULATOR_KS_PASS"),
                Map.of("EMULATOR_KS_PASS", password), Duration.ofSeconds(60));
        if (r.exitCode() != 0) {
            throw new IOException("keytool could not generate the gateway certificate: " + r.stderr().strip());
        }
        try (InputStream in = Files.newInputStream(store)) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, password.toCharArray());
            X509Certificate cert = (X509Certificate) ks.getCertificate(ALIAS);
            return new SelfSignedCertificate(ks, password.toCharArray(), cert);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot read the generated keystore " + store + ": " + e.getMessage(), e);
        }
    }

    /** The first name, else the first address: a certificate for addresses only must not name a host in its CN either. */
    private static String commonName(List<String> dnsNames, List<String> ips) {
        return !dnsNames.isEmpty() ? dnsNames.get(0) : !ips.isEmpty() ? ips.get(0) : "localhost";
    }

    /** The certificate in PEM form, for clients to trust. */
    public String pem() {
        try {
            String b64 = Base64.getMimeEncoder(64, "\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                    .encodeToString(certificate.getEncoded());
            return "-----BEGIN CERTIFICATE-----\n" + b64 + "\n-----END CERTIFICATE-----\n";
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IllegalStateException("cannot encode the gateway certificate", e);
        }
    }

    @Override
    public String toString() {
        return "SelfSignedCertificate[" + certificate.getSubjectX500Principal() + "]";
    }
}
