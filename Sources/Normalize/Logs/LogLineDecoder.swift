package import TraceJoinCore

/// Turns the lines of one log file or stream into log records: one decoder per input, stateful.
///
/// Per line: container wrappers (Docker json-file, CRI) are unwrapped and their partial pieces
/// joined; the inner line is read as JSON, logfmt or plain text; continuation lines (stack traces,
/// tracebacks, Go panics: see `ContinuationRule`) are appended to the pending record of the same
/// stream. A record is therefore emitted when the next record of its stream starts, or at `finish`.
/// Empty lines are skipped; a line that starts with `{` but is not valid JSON is rejected.
package struct LogLineDecoder: Sendable {
    private let source: String
    private let serviceFromPath: String?
    private let configuration: LogDecoderConfiguration
    private let scanner: TraceContextScanner
    /// One pending record per stream slot; a slot is live when its bit in `pendingSlots` is set.
    /// (Not optionals: replacing an optional record in an array goes through generic value witnesses.)
    private var pending: [PendingLogRecord] = Array(
        repeating: PendingLogRecord(fields: LogFields(), origin: InputLocation(source: "")),
        count: ContainerLogWrapper.slotCount)
    private var partials: [PartialContainerLine?] = Array(repeating: nil, count: ContainerLogWrapper.slotCount)
    /// A bit per stream slot with a pending record / a partial line, so the hot path tests a bit
    /// instead of copying an optional record out of the array.
    private var pendingSlots = 0
    private var partialSlots = 0
    /// Reused buffers: the members of the line being read, and the unescaped text of a Docker `log`.
    private var members: [RawMember] = []
    private var unwrappedText: [UInt8] = []
    private var innerMembers: [RawMember] = []
    /// The last time a record of this input resolved to: where a bare time of day after it is placed.
    private var lastTime: Int64?
    /// The configured zone's offset over the wall-clock stretch of the last zone-less date and time read.
    private var wallStretch = WallClockResolution.none

    package init(source: String, serviceFromPath: String?, configuration: LogDecoderConfiguration = .init()) {
        self.source = source
        self.serviceFromPath = serviceFromPath
        self.configuration = configuration
        self.scanner = TraceContextScanner(patterns: configuration.traceContextPatterns)
    }

    /// Feeds one line (without its newline). May emit zero or more records now (a record is emitted
    /// when the next record starts, since continuation lines may follow).
    package mutating func feed(
        _ line: UnsafeBufferPointer<UInt8>, lineNumber: Int, byteOffset: Int64, emit: (consuming Record) -> Void
    ) {
        var start = 0
        if line.count >= 3, line[0] == 0xEF, line[1] == 0xBB, line[2] == 0xBF { start = 3 }  // UTF-8 BOM
        let end = LogBytes.trimmedEnd(line, from: start, to: line.count)  // CRLF residue, trailing spaces
        let first = LogBytes.skipSpaces(line, from: start, to: end)
        guard first < end else { return }
        let location = InputLocation(source: source, line: lineNumber, byteOffset: byteOffset)

        // An indented line while a record is pending is a continuation (see `ContinuationRule`), even if it starts with `{`.
        let indentedContinuation = first > start && pendingSlots & 1 != 0
        if line[first] == UInt8(ascii: "{"), !indentedContinuation {
            var members: [RawMember] = []
            swap(&members, &self.members)
            defer { swap(&members, &self.members) }
            guard RawJSONScanner.scanObject(line, first, end, into: &members) else {
                reject(line, first, end, reason: Self.jsonFailure(line, first, end), slot: 0, location: location, emit: emit)
                return
            }
            if let (wrapper, log) = ContainerLogWrapper.docker(line, members, year: configuration.yearForYearlessTimes) {
                var text: [UInt8] = []
                swap(&text, &unwrappedText)
                defer { swap(&text, &unwrappedText) }
                text.removeAll(keepingCapacity: true)
                RawJSONScanner.unescape(line, log.valueStart, log.valueEnd, into: &text)
                if !wrapper.isPartial { text.removeLast() }  // the final "\n" of a complete piece
                text.withUnsafeBufferPointer { buffer in
                    unwrapped(bytes: buffer, from: 0, to: buffer.count, wrapper: wrapper, location: location, emit: emit)
                }
            } else {
                startRecord(line, members, json: true, wrapper: nil, location: location, emit: emit)
            }
            return
        }
        if let (wrapper, textStart) = ContainerLogWrapper.cri(
            line, from: first, to: end, year: configuration.yearForYearlessTimes)
        {
            // The text runs to the raw end of the line: a `P` piece may end in a space that belongs to the line.
            unwrapped(bytes: line, from: textStart, to: line.count, wrapper: wrapper, location: location, emit: emit)
            return
        }
        inner(line, from: start, to: end, wrapper: nil, location: location, emit: emit)
    }

    /// End of input: emits the pending records (and any unfinished partial container line).
    ///
    /// Also usable when input pauses (a tailer gone idle): the decoder is empty afterwards and can be
    /// fed again; a continuation line that arrives later then starts a record of its own.
    /// Where the earliest record this decoder still holds starts (a pending record or a partial container
    /// piece), or nil when it holds nothing: a follower that checkpoints must not run past it, since the
    /// record is emitted only when the next one starts.
    package var heldBackStart: InputLocation? {
        var earliest: InputLocation?
        for slot in pending.indices where pendingSlots & (1 << slot) != 0 {
            let origin = pending[slot].origin
            if earliest.map({ origin.byteOffset < $0.byteOffset }) ?? true { earliest = origin }
        }
        for case let partial? in partials where earliest.map({ partial.location.byteOffset < $0.byteOffset }) ?? true {
            earliest = partial.location
        }
        return earliest
    }

    package mutating func finish(emit: (consuming Record) -> Void) {
        for slot in partials.indices {
            guard let partial = partials[slot] else { continue }
            partials[slot] = nil
            partialSlots &= ~(1 << slot)
            var wrapper = partial.wrapper
            wrapper.isPartial = false
            partial.bytes.withUnsafeBufferPointer { buffer in
                inner(buffer, from: 0, to: buffer.count, wrapper: wrapper, location: partial.location, emit: emit)
            }
        }
        let live = pending.indices.filter { pendingSlots & (1 << $0) != 0 }
        pendingSlots = 0
        let lines = pending.map(\.origin.line)
        for slot in live.sorted(by: { lines[$0] < lines[$1] }) {
            emit(.log(pending[slot].takeRecord(configuration: configuration)))
        }
    }

    // MARK: - Container pieces

    /// Joins partial pieces per stream, then reads the whole inner line.
    private mutating func unwrapped(
        bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int, wrapper: ContainerLogWrapper,
        location: InputLocation, emit: (consuming Record) -> Void
    ) {
        let slot = wrapper.streamSlot
        if wrapper.isPartial || partialSlots & (1 << slot) != 0 {
            var partial = partials[slot] ?? PartialContainerLine(wrapper: wrapper, location: location)
            partials[slot] = nil
            partialSlots &= ~(1 << slot)
            partial.append(bytes, start, end, limit: configuration.maxRecordBytes)
            guard !wrapper.isPartial else {
                partials[slot] = partial
                partialSlots |= 1 << slot
                return
            }
            var joinedWrapper = partial.wrapper
            joinedWrapper.isPartial = false
            let truncated = partial.truncated
            partial.bytes.withUnsafeBufferPointer { buffer in
                let trimmed = LogBytes.trimmedEnd(buffer, from: 0, to: buffer.count)
                inner(buffer, from: 0, to: trimmed, wrapper: joinedWrapper, location: partial.location, emit: emit)
            }
            if truncated, pendingSlots & (1 << slot) != 0 { pending[slot].truncated = true }
            return
        }
        let trimmed = LogBytes.trimmedEnd(bytes, from: start, to: end)
        inner(bytes, from: start, to: trimmed, wrapper: wrapper, location: location, emit: emit)
    }

    // MARK: - Inner lines

    /// Reads one application line (already unwrapped) as continuation, JSON, logfmt or plain text.
    private mutating func inner(
        _ bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int, wrapper: ContainerLogWrapper?,
        location: InputLocation, emit: (consuming Record) -> Void
    ) {
        let first = LogBytes.skipSpaces(bytes, from: start, to: end)
        guard first < end else { return }
        let slot = wrapper?.streamSlot ?? 0
        let hasPending = pendingSlots & (1 << slot) != 0
        if hasPending, first > start {
            appendContinuation(bytes, start, end, slot: slot)
            return
        }
        if bytes[first] == UInt8(ascii: "{") {
            var members: [RawMember] = []
            swap(&members, &innerMembers)
            defer { swap(&members, &innerMembers) }
            if RawJSONScanner.scanObject(bytes, first, end, into: &members) {
                startRecord(bytes, members, json: true, wrapper: wrapper, location: location, emit: emit)
            } else {
                reject(bytes, first, end, reason: Self.jsonFailure(bytes, first, end), slot: slot, location: location, emit: emit)
            }
            return
        }
        let year = configuration.yearForYearlessTimes
        if let members = LogfmtParser.parse(bytes, from: first, to: end) {
            startRecord(bytes, members, json: false, wrapper: wrapper, location: location, emit: emit)
            return
        }
        let head = PlainTextLogParser.parseHead(bytes, from: first, to: end, year: year)
        // A leading level word (`INFO:     …` from uvicorn, `ERROR:root:…`) starts a record like a timestamp does.
        if head.time == nil, head.severityRange == nil, hasPending,
            ContinuationRule.continues(bytes, from: first, to: end, inStackDump: pending[slot].isStackDump)
        {
            appendContinuation(bytes, first, end, slot: slot)
            return
        }
        var fields = LogFields()
        fields.time = head.time
        fields.severity = head.severity
        if let range = head.severityRange { fields.severityText = LogBytes.string(bytes, range) }
        let messageEnd = max(head.messageStart, end)
        fields.message = LogBytes.string(bytes, head.messageStart..<messageEnd)
        if let opener = PlainTextLogParser.stackDumpOpener(bytes, head.messageStart, end) {
            fields.opensStackDump = true
            if fields.severity == .unspecified { fields.severity = opener }
        }
        if let match = scanner.scan(bytes, from: first, to: end) { fields.apply(match) }
        begin(&fields, wrapper: wrapper, location: location, emit: emit)
    }

    /// A record from a JSON object's members (`json`) or a logfmt line's pairs.
    private mutating func startRecord(
        _ bytes: UnsafeBufferPointer<UInt8>, _ members: [RawMember], json: Bool, wrapper: ContainerLogWrapper?,
        location: InputLocation, emit: (consuming Record) -> Void
    ) {
        var fields = StructuredLogFieldMapper.map(
            bytes, members, year: configuration.yearForYearlessTimes,
            copiesJSON: json && configuration.copiesAttributeJSON)
        fields.applyTextPatterns(scanner, to: fields.message)
        begin(&fields, wrapper: wrapper, location: location, emit: emit)
    }

    /// Why a line that starts with `{` is not JSON, in `JSONParser`'s words (offset and reason, never the text).
    private static func jsonFailure(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> String {
        do {
            _ = try JSONParser.parse(UnsafeBufferPointer(rebasing: bytes[start..<end]))
            return "not a JSON object"
        } catch {
            return error.description
        }
    }

    /// Emits the stream's pending record and makes this one pending.
    /// `fields` are taken (swapped out, left empty): passing them on by value copied every field.
    private mutating func begin(
        _ fields: inout LogFields, wrapper: ContainerLogWrapper?, location: InputLocation,
        emit: (consuming Record) -> Void
    ) {
        let slot = wrapper?.streamSlot ?? 0
        if pendingSlots & (1 << slot) != 0 { emit(.log(pending[slot].takeRecord(configuration: configuration))) }
        var record = PendingLogRecord(fields: LogFields(), origin: location)
        swap(&record.fields, &fields)
        if let extras = wrapper?.extraAttributes, !extras.isEmpty { record.fields.attributes += extras }
        record.time = resolveTime(record.fields.time, wrapperTime: wrapper?.time)
        record.stream = wrapper?.streamName
        if record.fields.service == nil, let serviceFromPath {
            record.fields.service = serviceFromPath
            record.serviceFromFileName = true
        }
        pending[slot] = record
        pendingSlots |= 1 << slot
    }

    private mutating func appendContinuation(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, slot: Int) {
        guard pendingSlots & (1 << slot) != 0 else { return }
        pending[slot].appendLine(bytes, start, end, limit: configuration.maxRecordBytes)
    }

    /// What a record's time means: a full instant as written; a time without date or zone yields to
    /// the container wrapper's UTC time; otherwise a date without zone is read in the configured zone, and
    /// a bare time of day gets the configured date, else a date from the input (`placeTimeOfDay`), else no time.
    private mutating func resolveTime(_ parsed: ParsedLogTime?, wrapperTime: Int64?) -> Int64? {
        let time: Int64?
        switch parsed {
        case .instant(let nanos)?: time = nanos
        case .wallClock(let nanos)?: time = wrapperTime ?? instant(ofWallClock: nanos)
        case .timeOfDay(let nanos)?:
            if let wrapperTime {
                time = wrapperTime
            } else if let day = configuration.dateOfTimesOfDay {
                let (midnight, overflow) = Int64(day).multipliedReportingOverflow(by: CivilTime.nanosPerDay)
                guard !overflow, abs(midnight) < Int64.max / 2 else { return nil }
                time = instant(ofWallClock: midnight + nanos)
            } else {
                time = placeTimeOfDay(nanos)
            }
        case nil: time = wrapperTime
        }
        if let time { lastTime = time }
        return time
    }

    /// A date and time without zone in the configured zone. The offset of the last such time is kept with
    /// the wall-clock stretch it covers, so a log's next time usually costs two comparisons. In a fall-back
    /// overlap the first occurrence is taken, or the second when the input's previous time is already past
    /// the first (a log written through the overlap goes forward).
    private mutating func instant(ofWallClock wall: Int64) -> Int64 {
        if wall >= wallStretch.uniqueFrom && wall < wallStretch.uniqueUntil { return wall &- wallStretch.offset }
        let resolution = configuration.timeZone.instants(ofWallClock: wall)
        if resolution.uniqueFrom < resolution.uniqueUntil { wallStretch = resolution }
        if let lastTime, lastTime > resolution.earlier { return resolution.later }
        return resolution.earlier
    }

    /// How far a log may step back in time and still be read as the same day (threads write out of order).
    static let timeOfDaySlack: Int64 = 3600 * CivilTime.nanosPerSecond

    /// The instant of a bare time of day (`sinceMidnight`: nanoseconds after local midnight in the configured
    /// zone): the first occurrence at or after the input's previous time less an hour, since a log goes
    /// forward (`23:59:59` then `00:00:01` is the next day); for the first time of an input, the latest
    /// occurrence at or before `timesOfDayNotAfter` (the file's modification); read as written (`tail`), the
    /// latest occurrence at or before now. Days are the zone's days: 23:30 in Berlin is 22:30Z in winter.
    private func placeTimeOfDay(_ sinceMidnight: Int64) -> Int64? {
        let zone = configuration.timeZone
        let dayLength = CivilTime.nanosPerDay
        /// The local day (days since 1970-01-01 on the zone's wall clock) of an instant.
        func localDay(of instant: Int64) -> Int64? {
            guard abs(instant) < Int64.max / 4 else { return nil }
            let wall = instant + zone.offsetNanos(atInstant: instant)
            return wall >= 0 ? wall / dayLength : (wall - dayLength + 1) / dayLength
        }
        func occurrences(onDay day: Int64) -> WallClockResolution {
            zone.instants(ofWallClock: day * dayLength + sinceMidnight)
        }
        func latest(atOrBefore limit: Int64) -> Int64? {
            guard var day = localDay(of: limit) else { return nil }
            for _ in 0..<3 {
                let found = occurrences(onDay: day)
                if found.later <= limit { return found.later }
                if found.earlier <= limit { return found.earlier }
                day -= 1
            }
            return nil
        }
        func first(atOrAfter limit: Int64) -> Int64? {
            guard var day = localDay(of: limit) else { return nil }
            for _ in 0..<3 {
                let found = occurrences(onDay: day)
                if found.earlier >= limit { return found.earlier }
                if found.later >= limit { return found.later }
                day += 1
            }
            return nil
        }
        if configuration.timesOfDayFromClock { return latest(atOrBefore: LogDecoderConfiguration.wallClockNanos()) }
        if let lastTime { return first(atOrAfter: lastTime - Self.timeOfDaySlack) }
        return configuration.timesOfDayNotAfter.flatMap(latest(atOrBefore:))
    }

    private mutating func reject(
        _ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, reason: String, slot: Int,
        location: InputLocation, emit: (consuming Record) -> Void
    ) {
        if pendingSlots & (1 << slot) != 0 {
            pendingSlots &= ~(1 << slot)
            emit(.log(pending[slot].takeRecord(configuration: configuration)))
        }
        let cut = end - start > configuration.maxRejectRawBytes
            ? LogBytes.utf8Boundary(bytes, start: start, limit: start + configuration.maxRejectRawBytes) : end
        emit(.reject(RejectedRecord(origin: location, reason: reason, raw: LogBytes.string(bytes, start..<cut))))
    }
}
