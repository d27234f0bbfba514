import Foundation
import Pipeline
import Store
import Testing
import TraceJoinCore
import TraceJoinTesting

/// Classification and grouping of the bundled night (`Fixtures/night`) after `batch` with the shipped
/// rules, against the hand-written truth in `Fixtures/expected/night.json` (`errorClass`, `sameProblem`).
@Suite struct ClassificationNightTests {
    static let store: Result<IncidentStore, any Error> = Result {
        let folder = try TemporaryFolder()
        var configuration = BatchConfiguration(inputs: [FixturePaths.fixture("night")])
        configuration.databasePath = folder.file("night.db")
        _ = try BatchRunner(configuration: configuration).run()
        return try IncidentStore.openExisting(path: configuration.databasePath)
    }

    static let expected: JSONValue = {
        let data = FileManager.default.contents(atPath: FixturePaths.fixture("expected/night.json")) ?? Data()
        return (try? JSONParser.parse(Array(data))) ?? .null
    }()

    static var expectedTraces: [JSONValue] { expected["traces"]?.array ?? [] }

    static var samePairs: [[String]] {
        (expected["sameProblem"]?.array ?? []).map { ($0.array ?? []).compactMap(\.string) }
    }

    @Test("each trace gets the error class of the ground truth", arguments: expectedTraces.indices)
    func classMatchesTruth(_ index: Int) throws {
        let store = try Self.store.get()
        let truth = Self.expectedTraces[index]
        let traceID = try #require(TraceID(hex: truth["traceId"]?.string ?? ""))
        let (timeline, classification) = try #require(
            try TimelineQuery.classifiedTimelines(for: .full(traceID), in: store).first)
        let expectedClass = truth["errorClass"]?.string
        #expect(
            timeline.summary.errorClass == expectedClass,
            "\(truth["scenario"]?.string ?? "") got \(classification?.explanation ?? "no classification")")
        #expect(classification?.errorClass == expectedClass)
        if expectedClass != nil {
            let classification = try #require(classification)
            #expect(classification.fingerprint.count == 16)
            #expect((classification.ruleID == nil) == (expectedClass == "unknown"))
        }
    }

    @Test("incidents --class returns exactly the traces of that class")
    func classFilter() throws {
        let store = try Self.store.get()
        let timeouts = try store.incidents(IncidentFilter(errorClass: "timeout")).map(\.traceID.hex)
        let expected = Self.expectedTraces.filter { $0["errorClass"]?.string == "timeout" }.compactMap {
            $0["traceId"]?.string
        }
        #expect(Set(timeouts) == Set(expected))
        #expect(!timeouts.isEmpty)
    }

    @Test("grouping folds each sameProblem pair into one problem and nothing else")
    func groupingFoldsSameProblems() throws {
        let store = try Self.store.get()
        let problems = try store.problems(IncidentFilter())
        let pairs = Self.samePairs
        #expect(pairs.count == 2)
        let incidents = Self.expectedTraces.filter { $0["status"]?.string == "error" }.count
        #expect(problems.count == incidents - pairs.count)
        #expect(problems.reduce(0) { $0 + $1.count } == incidents)
        for pair in pairs {
            var fingerprints: Set<String> = []
            for hex in pair {
                let id = try #require(TraceID(hex: hex))
                let key = try #require(try store.traceKeys(for: .full(id)).first)
                fingerprints.insert(try #require(try store.classification(traceKey: key)).fingerprint)
            }
            #expect(fingerprints.count == 1, "\(pair) are one problem")
            let problem = try #require(problems.first { $0.fingerprint == fingerprints.first })
            #expect(problem.count == 2)
            #expect(pair.contains(problem.exampleTraceID.hex))
            #expect(problem.firstSeen < problem.lastSeen)
        }
        #expect(problems.filter { $0.count > 1 }.count == pairs.count, "only the sameProblem pairs are folded")
    }

    @Test("show names the class, the rule and the entry it matched")
    func showExplains() throws {
        let store = try Self.store.get()
        let id = try #require(TraceID(hex: "6b039fb1000000007bf8528e91ea1fb1"))
        let (timeline, classification) = try #require(
            try TimelineQuery.classifiedTimelines(for: .full(id), in: store).first)
        let text = TimelineTextFormatter().format(timeline, classification: classification)
        #expect(text.contains("class: timeout — rule classify.go-deadline on payment-service "))
        let json = TimelineJSONFormatter.format(timeline, classification: classification)
        let object = try JSONParser.parse(json)
        #expect(object["errorClass"]?.string == "timeout")
        #expect(object["classRule"]?.string == "classify.go-deadline")
        #expect(object["fingerprint"]?.string?.count == 16)
    }
}
