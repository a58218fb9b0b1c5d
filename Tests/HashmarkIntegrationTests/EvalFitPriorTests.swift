import Foundation
import Testing

/// `hashmark eval --fit --model PRIOR`: the fit starts from the named prior, keeps its matcher
/// settings (here the audio submission's peak density) and, with too few negatives to show the
/// target, only tightens its thresholds; without `--model` it starts from the built-in defaults.
@Suite("eval --fit --model")
struct EvalFitPriorTests {
    @Test func aFitStartsFromTheNamedPrior() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hashmark-fit-prior-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        var prior = try #require(try JSONSerialization.jsonObject(
            with: Data(contentsOf: CLI.repoRoot.appendingPathComponent("Models/hashmark-model.json"))) as? [String: Any])
        // Thresholds no bundled recording can tighten past, and a density the defaults do not use.
        prior["audio"] = ["minAlignedHashes": 200, "minDistinctHashes": 200, "queryFanOut": 7, "queryPeaksPerWindow": 33]
        let priorPath = dir.appendingPathComponent("prior.json").path
        try JSONSerialization.data(withJSONObject: prior).write(to: URL(fileURLWithPath: priorPath))

        func fittedAudio(_ extra: [String]) throws -> [String: Any] {
            let out = dir.appendingPathComponent("fitted-\(extra.count).json").path
            let r = try CLI.run(["eval", "--only", "audio", "--quick", "--seed", "2", "--min-tpr", "0", "--max-fpr", "1",
                                 "--write-model", out] + extra, cwd: CLI.repoRoot)
            #expect(r.status == 0, "\(r.stdout.suffix(1500))\n\(r.stderr.suffix(1500))")
            let model = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out))) as? [String: Any])
            return try #require(model["audio"] as? [String: Any])
        }
        let fromPrior = try fittedAudio(["--model", priorPath])
        #expect(fromPrior["queryPeaksPerWindow"] as? Int == 33 && fromPrior["queryFanOut"] as? Int == 7)
        #expect(fromPrior["minAlignedHashes"] as? Int == 200 && fromPrior["minDistinctHashes"] as? Int == 200)
        let fromDefaults = try fittedAudio([])
        #expect(fromDefaults["queryPeaksPerWindow"] as? Int == 40 && fromDefaults["queryFanOut"] as? Int == 10)
        #expect((fromDefaults["minDistinctHashes"] as? Int ?? 0) >= 35 && (fromDefaults["minDistinctHashes"] as? Int ?? 0) < 200)
    }
}
