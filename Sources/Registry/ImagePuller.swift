import Foundation
import ImageStore
import Logging
import Synchronization
import WharfIO

/// Pulls images from OCI / Docker registries into an `ImageStore`.
///
/// Blocking API: call it from a thread that may block (the agent's blocking runner, the
/// CLI). Layers download concurrently on up to `maxConcurrentLayers` worker threads, each
/// gunzipping and unpacking as bytes arrive. Pulls of the same reference at the same time,
/// and of the same layer blob by different images, are deduplicated: one download, every
/// caller gets its result. One instance is meant to be shared by the whole process.
public final class ImagePuller: Sendable {
    public let store: ImageStore
    public let configuration: RegistryConfiguration
    public let timeouts: PullTimeouts
    public let retry: PullRetryPolicy
    /// Layer downloads running at once per pull (at least 1; callers validate user input).
    public let maxConcurrentLayers: Int
    let logger: Logger
    /// TLS contexts by registry host (built once: loading the system CA store is slow). Built
    /// for insecure registries too: `insecure` picks only the registry's own scheme, and its
    /// redirects or token realm may still be HTTPS.
    private let tlsContexts = Mutex<[String: TLSClientContext]>([:])
    private let imageFlights = Mutex<[String: PullFlight<Result<PullResult, RegistryError>>]>([:])
    private let layerFlights = Mutex<[Digest: PullFlight<Result<LayerRecord, RegistryError>>]>([:])

    public init(store: ImageStore, configuration: RegistryConfiguration = RegistryConfiguration(),
                timeouts: PullTimeouts = PullTimeouts(), retry: PullRetryPolicy = PullRetryPolicy(),
                maxConcurrentLayers: Int = 4, logger: Logger = Logger(label: "wharf.registry")) {
        self.store = store
        self.configuration = configuration
        self.timeouts = timeouts
        self.retry = retry
        self.maxConcurrentLayers = max(1, maxConcurrentLayers)
        self.logger = logger
    }

    /// Makes the image `reference` available locally as `policy` says (ECS semantics; see
    /// `ImagePullPolicy`), pulling when needed. `credentials` (a task's
    /// `repositoryCredentials`) take precedence over the registry's credentials file.
    public func ensureImage(_ reference: String, policy: ImagePullPolicy, credentials: RegistryCredentials? = nil,
                            progress: (@Sendable (PullEvent) -> Void)? = nil) throws(RegistryError) -> PullResult {
        let started = Date()
        func local() -> PullResult? {
            guard let resolved = try? store.resolve(reference: reference) else { return nil }
            return PullResult(record: resolved.record, contactedRegistry: false, layersDownloaded: 0, bytesDownloaded: 0,
                              startedAt: started, stoppedAt: Date(), fallbackError: nil)
        }
        switch policy {
        case .once, .preferCached:
            if let cached = local() { return cached }
            return try pull(reference, credentials: credentials, progress: progress)
        case .always:
            return try pull(reference, credentials: credentials, progress: progress)
        case .default:
            do { return try pull(reference, credentials: credentials, progress: progress) } catch {
                guard var cached = local() else { throw error }
                logger.warning("pull failed; using the local image", metadata: ["image": "\(reference)", "error": "\(error)"])
                cached.fallbackError = error
                return cached
            }
        }
    }

    /// Pulls `reference` (`busybox`, `registry:5000/team/app:1.4`, `name@sha256:...`) from its
    /// registry and names it in the store. When the store already holds the manifest the
    /// registry names, only the manifest is fetched.
    public func pull(_ reference: String, credentials: RegistryCredentials? = nil,
                     progress: (@Sendable (PullEvent) -> Void)? = nil) throws(RegistryError) -> PullResult {
        let parsed: Reference
        do { parsed = try Reference(parsing: reference) } catch {
            if case let .invalidReference(text, reason) = error { throw .invalidReference(text, reason: reason) }
            throw .invalidReference(reference, reason: "\(error)")
        }
        let key = parsed.normalized
        let (flight, leader) = imageFlights.withLock { flights in
            if let existing = flights[key] { return (existing, false) }
            let flight = PullFlight<Result<PullResult, RegistryError>>()
            flights[key] = flight
            return (flight, true)
        }
        guard leader else { return try flight.wait().get() }
        let result: Result<PullResult, RegistryError>
        do { result = .success(try pullNow(parsed, credentials: credentials, progress: progress ?? { _ in })) } catch {
            result = .failure(error)
        }
        imageFlights.withLock { $0[key] = nil }
        flight.finish(result)
        return try result.get()
    }

    // MARK: - The pull

    private func pullNow(_ reference: Reference, credentials explicit: RegistryCredentials?,
                         progress: @escaping @Sendable (PullEvent) -> Void) throws(RegistryError) -> PullResult {
        let started = Date()
        let image = reference.familiar
        let registry = reference.domain
        let settings = configuration.settings(for: registry)
        var credentials = explicit
        if credentials == nil, let path = settings.credentialsFile { credentials = try RegistryCredentials.load(path: path) }
        let session = try RegistrySession(
            registry: registry, repository: reference.path, image: image, settings: settings,
            tls: tlsContext(for: registry, settings: settings, image: image), credentials: credentials,
            timeouts: timeouts, retry: retry, deadline: PullStep.now() + timeouts.overall)

        // Manifest (through the index for multi-platform images).
        let top = try fetchManifest(session, reference: reference.digest?.description ?? reference.tag ?? "latest",
                                    expected: reference.digest, step: "resolve manifest")
        var manifest = top
        var indexBytes: [UInt8]?
        if MediaType.indexes.contains(top.mediaType) {
            guard let selected = ImageStore.platformManifest(in: top.document.manifests ?? []) else {
                let host = ImageStore.hostPlatform
                throw .noMatchingPlatform(image: image, registry: registry, os: host.os, architecture: host.architecture)
            }
            indexBytes = top.bytes
            manifest = try fetchManifest(session, reference: selected.digest.description, expected: selected.digest,
                                         step: "fetch platform manifest \(selected.digest)")
            guard MediaType.manifests.contains(manifest.mediaType) else {
                throw .unsupportedMediaType(image: image, registry: registry, step: "fetch platform manifest", mediaType: manifest.mediaType)
            }
        }
        guard let configDescriptor = manifest.document.config, let layers = manifest.document.layers else {
            throw session.step("parse manifest \(manifest.digest)").protocolViolation("manifest has no config or layers")
        }
        for layer in layers {
            let mediaType = layer.mediaType ?? MediaType.ociLayer
            guard MediaType.layerCompression(mediaType) != nil else {
                throw .unsupportedMediaType(image: image, registry: registry, step: "check layer \(layer.digest)", mediaType: mediaType)
            }
        }
        progress(.resolved(image: image, manifestDigest: manifest.digest, layers: layers.map { ($0.digest, $0.size) }))

        // Second pull: the store already has exactly this manifest under this name.
        if let stored = try storeCall(image, registry, "look up stored image", { () throws(ImageStoreError) in
            try store.storedImage(reference: reference, manifestDigest: manifest.digest)
        }) {
            for layer in layers { progress(.layerCompleted(digest: layer.digest, size: layer.size, downloaded: false)) }
            return PullResult(record: stored, contactedRegistry: true, layersDownloaded: 0, bytesDownloaded: 0,
                              startedAt: started, stoppedAt: Date(), fallbackError: nil)
        }

        let configBytes = try fetchBlob(session, configDescriptor, step: "fetch config \(configDescriptor.digest)")
        let config: ImageConfig
        do { config = try JSONDecoder().decode(ImageConfig.self, from: Data(configBytes)) } catch {
            throw session.step("parse config \(configDescriptor.digest)").protocolViolation("invalid image config: \(error)")
        }
        guard config.rootfs.diffIDs.count == layers.count else {
            throw session.step("parse config \(configDescriptor.digest)")
                .protocolViolation("manifest lists \(layers.count) layers but config has \(config.rootfs.diffIDs.count) diff_ids")
        }

        let jobs = layers.enumerated().map { index, layer in
            LayerJob(digest: layer.digest, size: layer.size, mediaType: layer.mediaType ?? MediaType.ociLayer,
                     diffID: config.rootfs.diffIDs[index])
        }
        var record: ImageRecord
        var downloaded = 0
        var bytes: Int64 = 0
        var attempt = 1
        while true {
            let (records, count, size) = try ingestAll(jobs, session: session, progress: progress)
            downloaded += count
            bytes += size
            do {
                record = try store.commitImage(reference: reference, manifestBytes: manifest.bytes, config: config,
                                               configBytes: configBytes, indexBytes: indexBytes, layers: records)
                break
            } catch {
                // A concurrent remove/prune/import collected a layer between ingest and
                // commit: fetch what is missing once more.
                if case .missingBlob = error, attempt < Self.commitAttempts {
                    attempt += 1
                    continue
                }
                throw .store(image: image, registry: registry, step: "commit image", error)
            }
        }
        logger.info("pulled image", metadata: [
            "image": "\(image)", "manifest": "\(manifest.digest)", "layersDownloaded": "\(downloaded)", "bytes": "\(bytes)",
        ])
        return PullResult(record: record, contactedRegistry: true, layersDownloaded: downloaded, bytesDownloaded: bytes,
                          startedAt: started, stoppedAt: Date(), fallbackError: nil)
    }

    // MARK: - Layers

    /// Times the layers are ingested and committed when a layer vanishes in between.
    static let commitAttempts = 2

    /// Ingests every layer on up to `maxConcurrentLayers` threads under one ingest lease.
    /// Returns the records bottom first, layers downloaded and bytes downloaded.
    private func ingestAll(_ jobs: [LayerJob], session: RegistrySession, progress: @escaping @Sendable (PullEvent) -> Void)
        throws(RegistryError) -> ([LayerRecord], Int, Int64) {
        let lease = try storeCall(session.image, session.registry, "lock image store", { () throws(ImageStoreError) in
            try store.beginIngest()
        })
        defer { lease.release() }
        let outcome = LayerJobs(count: jobs.count)
        let group = DispatchGroup()
        for _ in 0..<min(maxConcurrentLayers, jobs.count) {
            group.enter()
            let thread = Thread { [self] in
                defer { group.leave() }
                while let index = outcome.next() {
                    outcome.record(index, ingest(jobs[index], session: session, progress: progress))
                }
            }
            thread.name = "wharf-pull"
            thread.stackSize = Self.workerStackBytes
            thread.start()
        }
        group.wait()
        return try outcome.collect()
    }

    /// Stack of a layer worker thread (the tar reader and unpacker need little).
    static let workerStackBytes = 1 << 20

    struct LayerJob: Sendable {
        var digest: Digest
        var size: Int64
        var mediaType: String
        var diffID: Digest
    }

    /// Downloads and stores one layer, or waits for the pull already doing so.
    /// Returns the record and the bytes this call downloaded.
    private func ingest(_ job: LayerJob, session: RegistrySession, progress: @escaping @Sendable (PullEvent) -> Void)
        -> Result<(LayerRecord, Int64), RegistryError> {
        while true {
            if store.hasBlob(job.digest) && store.hasLayer(diffID: job.diffID) {
                progress(.layerCompleted(digest: job.digest, size: job.size, downloaded: false))
                return .success((LayerRecord(diffID: job.diffID, blobDigest: job.digest, mediaType: job.mediaType, size: job.size), 0))
            }
            let (flight, leader) = layerFlights.withLock { flights in
                if let existing = flights[job.digest] { return (existing, false) }
                let flight = PullFlight<Result<LayerRecord, RegistryError>>()
                flights[job.digest] = flight
                return (flight, true)
            }
            if !leader {
                // Another pull is fetching this blob. Once it is done, look again: on its
                // success the layer is stored; on its failure, try ourselves as a new leader
                // (or follow whichever pull became one meanwhile).
                _ = flight.wait()
                continue
            }
            let result = download(job, session: session, progress: progress)
            layerFlights.withLock { $0[job.digest] = nil }
            flight.finish(result.map(\.0))
            return result
        }
    }

    private func download(_ job: LayerJob, session: RegistrySession, progress: @escaping @Sendable (PullEvent) -> Void)
        -> Result<(LayerRecord, Int64), RegistryError> {
        progress(.layerStarted(digest: job.digest, size: job.size))
        let source = BlobDownload(session: session, digest: job.digest, size: job.size) { received in
            progress(.layerProgress(digest: job.digest, received: received, size: job.size))
        }
        do {
            let record = try store.ingestLayer(from: source, blobDigest: job.digest, blobSize: job.size, mediaType: job.mediaType,
                                               diffID: job.diffID, label: session.image)
            progress(.layerCompleted(digest: job.digest, size: job.size, downloaded: true))
            return .success((record, source.received))
        } catch {
            if case .sourceFailed = error, let failure = source.failure { return .failure(failure) }
            let step = "store layer \(job.digest)"
            switch error {
            case let .digestMismatch(_, _, expected, actual):
                return .failure(.digestMismatch(image: session.image, registry: session.registry, step: step, expected: expected, actual: actual))
            case let .sizeMismatch(_, _, expected, actual):
                return .failure(.truncated(image: session.image, registry: session.registry, step: step, expected: expected, received: actual))
            default:
                return .failure(.store(image: session.image, registry: session.registry, step: step, error))
            }
        }
    }

    // MARK: - Documents

    struct FetchedManifest {
        var bytes: [UInt8]
        var digest: Digest
        var mediaType: String
        var document: ManifestDocument
    }

    private func fetchManifest(_ session: RegistrySession, reference: String, expected: Digest?, step name: String) throws(RegistryError) -> FetchedManifest {
        let step = session.step(name)
        let (response, bytes) = try session.withRetries { () throws(RegistryError) in
            let response = try session.requestOnce("GET", session.url("manifests/" + reference),
                                                   headers: [("Accept", MediaType.manifestAccept)], step: step)
            return (response, try response.readAll())
        }
        let digest = Digest.of(bytes)
        if let expected, expected != digest {
            throw .digestMismatch(image: session.image, registry: session.registry, step: name, expected: expected.description, actual: digest.description)
        }
        if expected == nil, let claimed = response.header("docker-content-digest"), claimed != digest.description {
            throw .digestMismatch(image: session.image, registry: session.registry, step: name, expected: claimed, actual: digest.description)
        }
        let document: ManifestDocument
        do { document = try JSONDecoder().decode(ManifestDocument.self, from: Data(bytes)) } catch {
            throw step.protocolViolation("invalid manifest JSON: \(error)")
        }
        let contentType = response.header("content-type").map { String($0.split(separator: ";")[0]).trimmingCharacters(in: .whitespaces) }
        let mediaType = document.mediaType ?? contentType ?? (document.manifests != nil ? MediaType.ociIndex : MediaType.ociManifest)
        guard MediaType.indexes.contains(mediaType) || MediaType.manifests.contains(mediaType) else {
            throw .unsupportedMediaType(image: session.image, registry: session.registry, step: name, mediaType: mediaType)
        }
        return FetchedManifest(bytes: bytes, digest: digest, mediaType: mediaType, document: document)
    }

    /// A small blob (the config), read whole and verified.
    private func fetchBlob(_ session: RegistrySession, _ descriptor: OCIDescriptor, step name: String) throws(RegistryError) -> [UInt8] {
        let bytes = try session.withRetries { () throws(RegistryError) in
            try session.requestOnce("GET", session.url("blobs/" + descriptor.digest.description), headers: [], step: session.step(name)).readAll()
        }
        guard Int64(bytes.count) == descriptor.size else {
            throw .truncated(image: session.image, registry: session.registry, step: name, expected: descriptor.size, received: Int64(bytes.count))
        }
        let digest = Digest.of(bytes)
        guard digest == descriptor.digest else {
            throw .digestMismatch(image: session.image, registry: session.registry, step: name,
                                  expected: descriptor.digest.description, actual: digest.description)
        }
        return bytes
    }

    // MARK: - Helpers

    /// The registry's TLS client context: peer verification against the system CA store plus
    /// the registry's extra CA files.
    private func tlsContext(for registry: String, settings: RegistryHostSettings, image: String) throws(RegistryError) -> TLSClientContext {
        if let existing = tlsContexts.withLock({ $0[registry] }) { return existing }
        let context: TLSClientContext
        do { context = try TLSClientContext(verifyPeer: true, additionalCAFiles: settings.caFiles) } catch {
            if case let .loadCertificateAuthorities(path, reason) = error {
                throw .tls(image: image, registry: registry, step: "load CA file \(path)", function: "SSL_CTX_load_verify_locations", reason: reason)
            }
            throw .tls(image: image, registry: registry, step: "create TLS context", function: "TLSClientContext", reason: error.description)
        }
        return tlsContexts.withLock { contexts in
            if let existing = contexts[registry] { return existing }
            contexts[registry] = context
            return context
        }
    }

    private func storeCall<T>(_ image: String, _ registry: String, _ step: String,
                              _ body: () throws(ImageStoreError) -> T) throws(RegistryError) -> T {
        do { return try body() } catch { throw .store(image: image, registry: registry, step: step, error) }
    }
}

/// The layers of one pull handed to worker threads, and what each produced.
private final class LayerJobs: Sendable {
    private struct State {
        var next = 0
        var failed = false
        var results: [Result<(LayerRecord, Int64), RegistryError>?]
    }
    private let state: Mutex<State>

    init(count: Int) { state = Mutex(State(results: Array(repeating: nil, count: count))) }

    /// The next layer to fetch; nil when all are taken or one failed (no point going on).
    func next() -> Int? {
        state.withLock { state in
            guard !state.failed, state.next < state.results.count else { return nil }
            defer { state.next += 1 }
            return state.next
        }
    }

    func record(_ index: Int, _ result: Result<(LayerRecord, Int64), RegistryError>) {
        state.withLock { state in
            state.results[index] = result
            if case .failure = result { state.failed = true }
        }
    }

    /// Layer records bottom first, layers downloaded, bytes downloaded; the first failure.
    func collect() throws(RegistryError) -> ([LayerRecord], Int, Int64) {
        let results = state.withLock { $0.results }
        var records: [LayerRecord] = []
        var downloaded = 0
        var bytes: Int64 = 0
        for result in results {
            if case let .failure(error) = result { throw error }
        }
        for result in results {
            guard case let .success((record, count)) = result else { continue }
            records.append(record)
            if count > 0 { downloaded += 1 }
            bytes += count
        }
        return (records, downloaded, bytes)
    }
}
