import Foundation
import HashmarkEval
import HashmarkMedia
import HashmarkTransforms
import Testing

@Suite("Case generation")
struct CaseGenerationTests {
    static let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let manifest = repo.appendingPathComponent("Corpus/manifest.csv").path

    @Test func theSplitIsDeterministicPerSeedAndDisjoint() throws {
        let pool = try WorkPool.read(manifest: Self.manifest)
        #expect(pool.filter { $0.modality == .image }.count == 40)
        #expect(pool.filter { $0.modality == .text }.count == 40)
        let a = WorkSplit.make(pool, seed: 7), b = WorkSplit.make(pool, seed: 7), c = WorkSplit.make(pool, seed: 8)
        #expect(a == b)
        #expect(a != c)
        let sets = [a.registeredTrain, a.registeredTest, a.distractorTrain, a.distractorTest].map { Set($0.map(\.id)) }
        for i in sets.indices {
            #expect(!sets[i].isEmpty)
            for j in sets.indices where j > i { #expect(sets[i].isDisjoint(with: sets[j])) }
        }
        #expect(sets.reduce(0) { $0 + $1.count } == pool.count)
    }

    @Test func casesAreDeterministicAndKeepSplitsApart() throws {
        let pool = try WorkPool.read(manifest: Self.manifest)
        let split = WorkSplit.make(pool, seed: 3, limit: 6)
        let plans = CaseGenerator.plans(split, seed: 3)
        #expect(plans == CaseGenerator.plans(split, seed: 3))
        #expect(plans != CaseGenerator.plans(split, seed: 4))
        #expect(Set(plans.map(\.id)).count == plans.count)
        let registered = Set(split.registered.map(\.id))
        let trainWorks = Set((split.registeredTrain + split.distractorTrain).map(\.id))
        for p in plans {
            // Positives copy registered works; negatives never do.
            #expect((p.label == .positive) == registered.contains(p.source.id))
            #expect(p.expectedWork == (p.label == .positive ? p.source.id : nil))
            #expect((p.split == .train) == trainWorks.contains(p.source.id))
            // Filler comes from a held-out work of the same split, never a registered one; a
            // shared-element negative's from a registered opaque image of the same split.
            if let filler = p.filler {
                if case .sharedElement = p.operation {
                    #expect(registered.contains(filler.id) && filler.modality == .image && !filler.transparent)
                    #expect(p.label == .negative && ["shared-element", "registered-element"].contains(p.family))
                } else {
                    #expect(!registered.contains(filler.id))
                }
                #expect(trainWorks.contains(filler.id) == (p.split == .train))
                #expect(filler.id != p.source.id)
            }
        }
        // One shared-element negative per image distractor.
        let shared = plans.filter { $0.family == "shared-element" }
        #expect(shared.count == (split.distractorTrain + split.distractorTest).filter { $0.modality == .image }.count)
        #expect(!shared.isEmpty)
        // And one registered-element negative per image distractor, all from one owner per split:
        // the first opaque registered image by id, whose element the suite registers.
        let withElement = plans.filter { $0.family == "registered-element" }
        #expect(withElement.count == shared.count)
        for (part, works) in [(Split.train, split.registeredTrain), (.test, split.registeredTest)] {
            let owner = try #require(RegisteredElement.owner(among: works))
            #expect(withElement.filter { $0.split == part }.allSatisfy { $0.filler == owner && $0.transform == RegisteredElement.caseName })
            #expect(owner.id == works.filter { $0.modality == .image && !$0.transparent }.map(\.id).min())
        }
        // Every image transform of the standard suite, for every registered image; and one
        // document case per format, each wrapping a case of its modality's suite.
        let images = plans.filter { $0.modality == .image && $0.label == .positive && !["document", "transparent"].contains($0.family) }
        #expect(images.count == split.registered.filter { $0.modality == .image }.count * TransformSuite.standard(seed: 3).cases.count)
        let documents = plans.filter { $0.family == "document" }
        let readable = (split.registered + split.distractorTrain + split.distractorTest).filter { $0.modality != .audio }
        #expect(documents.count == readable.count * DocumentCases.formats.count)
        for p in documents {
            guard case .document(let format, let inner) = p.operation else { Issue.record("\(p.id)"); continue }
            #expect(p.kind == format && p.transform.hasPrefix(format + "-"))
            switch (p.modality, inner) {
            case (.image, .image(let t)): #expect(t.family != .regenerative, "\(p.id)")
            case (.text, .text): break
            default: Issue.record("\(p.id): \(inner) in a \(p.modality) document case")
            }
        }
    }

    /// The Corpus's transparent drawings get the five pastes, on photos from opaque held-out
    /// images of their split; opaque works get none. A sticker case is twice the work's size,
    /// and the paste shows the photo where the work is transparent.
    @Test func transparentWorksArePastedOverOtherBackgrounds() throws {
        let pool = try WorkPool.read(manifest: Self.manifest).filter { $0.modality == .image }
        let transparent = Set(pool.filter(\.transparent).map(\.id))
        #expect(transparent == ["openclipart-png__lock", "openclipart-png__coke_upper_left_corner_j",
                                "openclipart-png__nunchaku_sergio_luiz_ara_01"])
        let split = WorkSplit.make(pool, seed: 4)
        let plans = CaseGenerator.plans(split, seed: 4).filter { $0.family == "transparent" }
        #expect(Set(plans.map(\.source.id)) == transparent)
        #expect(plans.count == transparent.count * TransparentPaste.allCases.count)
        let heldOut = { (p: CasePlan) in (p.split == .train ? split.distractorTrain : split.distractorTest).map(\.id) }
        for p in plans {
            guard case .transparent(let paste) = p.operation else { Issue.record("\(p.id)"); continue }
            #expect(p.transform == paste.name && (p.filler != nil) == paste.needsPhoto, "\(p.id)")
            if let f = p.filler { #expect(!f.transparent && heldOut(p).contains(f.id), "\(p.id)") }
        }
        let sticker = try #require(plans.first { $0.transform == "sticker-on-photo" })
        let work = try ImageDecoder.decode(contentsOfFile: sticker.source.path)
        let photo = try ImageDecoder.decode(contentsOfFile: try #require(sticker.filler).path).image
        let bytes = try Materialiser.image(sticker, source: work, photo: photo, originalBytes: [])
        let pasted = try ImageDecoder.decode(bytes).image
        #expect(pasted.width == 2 * work.image.width && pasted.height == 2 * work.image.height)
        #expect(bytes == (try Materialiser.image(sticker, source: work, photo: photo, originalBytes: [])))
        let onBlack = try #require(plans.first { $0.source.id == sticker.source.id && $0.transform == "over-black" })
        let dark = try ImageDecoder.decode(try Materialiser.image(onBlack, source: work, originalBytes: [])).image
        // Where the drawing is fully transparent, the paste is black (up to JPEG noise), not white.
        let clear = try #require(work.alpha?.firstIndex(of: 0))
        #expect(dark.pixels[clear * 3] < 40 && work.image.pixels[clear * 3] == 255)
    }

    @Test func materialisedCasesAreReproducible() throws {
        let pool = try WorkPool.read(manifest: Self.manifest)
        let split = WorkSplit.make(pool, seed: 5, limit: 4)
        let plans = CaseGenerator.plans(split, seed: 5)
        let text = try #require(plans.first { $0.modality == .text && $0.transform == "substitute-20" })
        let source = try String(contentsOfFile: text.source.path, encoding: .utf8)
        let filler = try String(contentsOfFile: try #require(text.filler).path, encoding: .utf8)
        let once = try Materialiser.text(text, source: source, filler: filler)
        #expect(once == (try Materialiser.text(text, source: source, filler: filler)))
        #expect(!once.isEmpty && once != Array(source.utf8))
    }

    /// Every registered recording through every audio edit; excerpts and mixes heard in a held-out
    /// recording of the same split, never a registered one; distractors also as they are.
    @Test func audioCasesCoverTheSuiteWithHeldOutBeds() throws {
        let pool = try WorkPool.read(manifest: Self.manifest).filter { $0.modality == .audio }
        #expect(pool.count == 8)
        let split = WorkSplit.make(pool, seed: 2, registeredFraction: 0.5)
        let plans = CaseGenerator.plans(split, seed: 2).filter { $0.modality == .audio }
        let registered = Set(split.registered.map(\.id))
        for work in split.registered {
            let cases = plans.filter { $0.source.id == work.id }
            #expect(cases.count == AudioEditSuite.standard.cases.count, "\(work.id)")
            #expect(cases.allSatisfy { $0.label == .positive && $0.expectedWork == work.id })
        }
        for p in plans {
            guard case .audio(let edit) = p.operation else { #expect(p.family == "original"); continue }
            #expect((p.filler != nil) == edit.needsOther, "\(p.id)")
            if let f = p.filler {
                #expect(!registered.contains(f.id) && f.id != p.source.id && f.modality == .audio)
                let sameSplit = (p.split == .train ? split.distractorTrain : split.distractorTest).map(\.id)
                #expect(sameSplit.contains(f.id))
            }
        }
        #expect(plans.count { $0.family == "original" } == split.distractorTrain.count + split.distractorTest.count)
    }

    @Test func distractorsRelatedToARegisteredWorkAreLeftOut() throws {
        let pool = try WorkPool.read(manifest: Self.manifest)
        var split = WorkSplit.make(pool, seed: 5)
        let registered = try #require(split.registered.first), held = try #require(split.distractorTest.first)
        let other = try #require(split.distractorTrain.first)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("related-\(UUID().uuidString).csv")
        defer { try? FileManager.default.removeItem(at: dir) }
        try "work,related,evidence\n\(held.id),\(registered.id),\"shares a bed\"\n\(other.id),not-in-pool,x\n"
            .write(to: dir, atomically: true, encoding: .utf8)
        let related = try WorkPool.related(csv: dir.path)
        #expect(related[registered.id] == [held.id] && related[held.id] == [registered.id])
        let before = split
        let dropped = split.dropDistractorsRelated(to: related)
        #expect(dropped == [held.id])
        #expect(!split.distractorTest.contains(held) && split.distractorTrain == before.distractorTrain)
        #expect(split.registered == before.registered)
    }

    /// Split by source: every source's works land on one side (registered or held out), and about
    /// `registeredFraction` of the works are registered, ending at a whole source.
    @Test func splittingBySourceKeepsEachSourceOnOneSide() {
        let works = (0..<60).map { i in
            PoolWork(id: "w\(i)", path: "/x/w\(i).flac", modality: .audio, source: "deb:pkg\(i % 9)")
        }
        for seed in UInt64(1)...5 {
            let split = WorkSplit.make(works, seed: seed, bySource: [.audio])
            let registered = Set(split.registered.compactMap(\.source))
            let held = Set((split.distractorTrain + split.distractorTest).compactMap(\.source))
            #expect(registered.isDisjoint(with: held), "seed \(seed)")
            #expect(registered.count + held.count == 9)
            #expect(split.registered.count >= 36 && split.registered.count < 36 + 7, "\(split.registered.count)")
            #expect(split.registered.count + split.distractorTrain.count + split.distractorTest.count == 60)
        }
        // Without it, sources straddle the split.
        let plain = WorkSplit.make(works, seed: 1)
        #expect(!Set(plain.registered.compactMap(\.source)).isDisjoint(with: Set(plain.distractorTest.compactMap(\.source))))
    }
}
