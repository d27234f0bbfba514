/// Guesses the service that wrote a log file from the file's path, for records that do not name one.
///
/// - `payment-service.log`, `payment-service.log.2.gz`, `payment-service.log-20261123`,
///   `payment-service-2026-11-23.log`, `payment-service.json.log` → `payment-service`
///   (compression, rotation numbers, log-ish extensions and trailing dates are dropped).
/// - Kubernetes `/var/log/containers/<pod>_<namespace>_<container>-<64 hex>.log` → `<container>`.
/// - Kubernetes `/var/log/pods/<namespace>_<pod>_<uid>/<container>/0.log` (and its rotations) → `<container>`.
/// - A generic name (`access.log`, `stdout.log`, `current`) → the folder's name (`/var/log/nginx/access.log` →
///   `nginx`); if the folder is generic too (`logs`), the name itself (`app`), unless it says nothing (`stdout`).
/// - Nothing usable (a bare number, a hex container ID) → nil.
package enum ServiceName {
    package static func fromPath(_ path: String) -> String? {
        let components = path.split(separator: "/").map(String.init)
        guard let file = components.last else { return nil }
        let folders = components.dropLast()

        if let container = kubernetesContainerLogName(file) { return container }
        if let container = folders.last, folders.count >= 2, isKubernetesPodFolder(folders[folders.count - 2]),
            stem(file).allSatisfy(\.isNumber)
        {
            return container
        }

        let name = stem(file)
        if !name.isEmpty, !isGeneric(name), !name.allSatisfy(\.isNumber), !isHexID(name), !isDateLike(name) {
            return name
        }
        if let folder = folders.last, !isGeneric(folder), !folder.hasPrefix("."), !isHexID(folder),
            !folder.allSatisfy(\.isNumber)
        {
            return folder
        }
        return isGeneric(name) && !isPlaceholder(name) ? name : nil
    }

    // MARK: - Kubernetes

    /// `<pod>_<namespace>_<container>-<64 hex>.log`: names are DNS labels, which never hold `_`.
    private static func kubernetesContainerLogName(_ file: String) -> String? {
        guard file.hasSuffix(".log") else { return nil }
        let parts = file.dropLast(4).split(separator: "_", omittingEmptySubsequences: false)
        guard parts.count == 3, let dash = parts[2].lastIndex(of: "-") else { return nil }
        let id = parts[2][parts[2].index(after: dash)...]
        guard id.count == 64, id.allSatisfy(\.isHexDigit) else { return nil }
        let container = parts[2][..<dash]
        return container.isEmpty ? nil : String(container)
    }

    /// `<namespace>_<pod>_<uid>` with a UUID as the last part.
    private static func isKubernetesPodFolder(_ folder: String) -> Bool {
        let parts = folder.split(separator: "_", omittingEmptySubsequences: false)
        guard parts.count == 3, let uid = parts.last else { return false }
        return uid.count == 36 && uid.allSatisfy { $0.isHexDigit || $0 == "-" }
    }

    // MARK: - File names

    private static let droppedExtensions: Set<String> = [
        "gz", "gzip", "bz2", "xz", "zst", "lz4", "log", "logs", "json", "jsonl", "ndjson", "txt", "out", "err",
        "otlp", "trace", "traces", "spans", "stdout", "stderr", "access", "error", "info", "debug", "warn",
    ]

    /// The file name without rotation, compression, log-ish extensions and a trailing date or time.
    static func stem(_ file: String) -> String {
        var parts = file.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        while parts.count > 1, let last = parts.last {
            let lower = last.lowercased()
            if droppedExtensions.contains(lower) || isDateLike(lower)
                || (!lower.isEmpty && lower.allSatisfy(\.isNumber))
            {
                parts.removeLast()
            } else if lower.hasPrefix("log-") || lower.hasPrefix("log_") {  // logrotate dateext: `app.log-20261123`
                parts.removeLast()
            } else {
                break
            }
        }
        return dropTrailingDate(parts.joined(separator: "."))
    }

    /// `payment-service-2026-11-23` → `payment-service`; `worker-2` stays (an instance number is not a date).
    private static func dropTrailingDate(_ name: String) -> String {
        var pieces = name.split(separator: "-", omittingEmptySubsequences: false).flatMap {
            $0.split(separator: "_", omittingEmptySubsequences: false)
        }
        guard pieces.count > 1 else { return name }
        var digits = 0
        var dropped = 0
        while pieces.count > 1, let last = pieces.last, isDateLike(String(last)) || last.allSatisfy(\.isNumber) {
            digits += last.filter(\.isNumber).count
            pieces.removeLast()
            dropped += 1
        }
        guard dropped > 0, digits >= 8 else { return name }
        // Cut the original text (keeping its own `-`/`_`) before the first dropped piece.
        var remaining = pieces.reduce(0) { $0 + $1.count } + pieces.count - 1
        var cut = name.startIndex
        while remaining > 0 {
            cut = name.index(after: cut)
            remaining -= 1
        }
        return String(name[..<cut])
    }

    /// Digits with date/time separators and at least 8 digits: `20261123`, `2026-11-23T10:00:00`.
    private static func isDateLike(_ text: String) -> Bool {
        let digits = text.filter(\.isNumber).count
        return digits >= 8 && text.allSatisfy { $0.isNumber || "-_T:Z".contains($0) }
    }

    private static let genericNames: Set<String> = [
        "access", "error", "errors", "app", "application", "stdout", "stderr", "output", "out", "current", "messages",
        "syslog", "combined", "debug", "server", "service", "main", "log", "logs", "var", "tmp", "containers", "pods",
        "traces", "spans", "export", "exports", "data", "otel", "otlp", "json", "info", "warn",
    ]

    private static func isGeneric(_ name: String) -> Bool { genericNames.contains(name.lowercased()) }

    /// Generic names that say nothing about a service even as a last resort.
    private static func isPlaceholder(_ name: String) -> Bool {
        ["stdout", "stderr", "output", "out", "current", "log", "logs", "messages", "syslog", "combined", "data"]
            .contains(name.lowercased())
    }

    private static func isHexID(_ name: String) -> Bool {
        let core = name.hasSuffix("-json") ? String(name.dropLast(5)) : name  // Docker's `<id>-json.log`
        return core.count >= 12 && core.allSatisfy(\.isHexDigit)
    }
}
