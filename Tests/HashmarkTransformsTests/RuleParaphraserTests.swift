import Foundation
@_spi(Testing) import HashmarkTransforms
import Testing

private let stop: Set<String> = ["the", "a", "an", "and", "of", "to", "in", "was", "he", "she", "his", "her", "it",
                                 "had", "as", "for", "with", "that", "not", "be", "but", "on", "at", "so", "by"]

/// Lower-case content words (capitalised words and a few function words left out).
private func contentWords(_ s: String) -> [String] {
    s.split(whereSeparator: \.isWhitespace).compactMap { token in
        let core = token.filter(\.isLetter)
        guard core.count >= 3, core.first?.isLowercase == true, !stop.contains(core) else { return nil }
        return core
    }
}

/// Sentence ends (. ! ? before closing quotes), not counting Mr. and Mrs.
private func sentenceCount(_ s: String) -> Int {
    s.split(whereSeparator: \.isWhitespace).filter { token in
        let t = token.reversed().drop { "\"'\u{201D}\u{2019})".contains($0) }
        guard let end = t.first, ".!?".contains(end) else { return false }
        return !["Mr.", "Mrs."].contains(String(token))
    }.count
}

/// The first `n` words of the Emma chapter (which opens with a sentence).
private func emma(words n: Int) throws -> String {
    let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    let text = try String(contentsOf: repo.appendingPathComponent("Corpus/texts/r-cran-janeaustenr__austen_emma_02.txt"),
                          encoding: .utf8)
    return text.split(whereSeparator: \.isWhitespace).prefix(n).joined(separator: " ")
}

@Suite("Rule-based paraphraser")
struct RuleParaphraserTests {
    let paraphraser: RuleParaphraser

    init() throws {
        paraphraser = RuleParaphraser(lexicon: try WordNetLexicon.shared(), strength: 0.6)
    }

    @Test func synonymSwapsKeepInflectionCapitalsAndNames() throws {
        var rng = SeededGenerator(seed: 1)
        let out = paraphraser.swappingSynonyms("Cars stopped near the old churches while Emma watched.", rng: &rng)
        let words = out.split(separator: " ").map(String.init)
        #expect(words.count >= 8)
        #expect(words[0] != "Cars" && words[0].first?.isUppercase == true && words[0].hasSuffix("s"))
        #expect(words.contains("the") && words.contains("while") && words.contains("Emma"))
        #expect(!out.contains("stopped") && !out.contains("churches"))
        #expect(out.hasSuffix(".") && out != "Cars stopped near the old churches while Emma watched.")
        // "car" (noun) → the most frequent sense's best other lemma (auto, automobile and
        // motorcar all mean it first; auto is listed first).
        var again = SeededGenerator(seed: 1)
        #expect(paraphraser.swappingSynonyms("the car", rng: &again) == "the auto")
        var article = SeededGenerator(seed: 1)
        #expect(paraphraser.swappingSynonyms("A car and an idea", rng: &article).hasPrefix("An auto and a "))
        var geese = SeededGenerator(seed: 1)
        #expect(paraphraser.swappingSynonyms("ran", rng: &geese) != "ran")
    }

    @Test func partOfSpeechFollowsTaggedSensesAndContext() {
        #expect(paraphraser.guessedPartOfSpeech("run") == .verb)
        #expect(paraphraser.guessedPartOfSpeech("house") == .noun)
        #expect(paraphraser.guessedPartOfSpeech("walked") == .verb)
        #expect(paraphraser.guessedPartOfSpeech("run", after: "the") == .noun)
        #expect(paraphraser.guessedPartOfSpeech("house", after: "to") == .verb)
        #expect(paraphraser.guessedPartOfSpeech("xyzzy") == nil)
    }

    @Test func clausesMoveBothWaysOnlyWhenSafe() {
        #expect(paraphraser.movingClause("When the rain stopped, we walked home.") == "We walked home when the rain stopped.")
        #expect(paraphraser.movingClause("Although Emma was tired, she stayed up late!")
                == "She stayed up late although Emma was tired!")
        #expect(paraphraser.movingClause("We walked home because the rain had stopped.")
                == "Because the rain had stopped, we walked home.")
        #expect(paraphraser.movingClause("He asked me if she was ready.") == nil)
        #expect(paraphraser.movingClause("He looked after the children every day.") == nil)
        #expect(paraphraser.movingClause("When, as he said, it rained, we left.") == nil)
    }

    @Test func tenseOfSimpleAuxiliaries() {
        #expect(paraphraser.changingTense("She is ready and he will come.") == "She was ready and he would come.")
        #expect(paraphraser.changingTense("He had a dog and was happy.") == "He has a dog and is happy.")
        #expect(paraphraser.changingTense("I was sure they could help.") == "I am sure they can help.")
        #expect(paraphraser.changingTense("If it were fine, his will was read.") == "If it were fine, his will is read.")
        #expect(paraphraser.changingTense("Nothing happened there.") == nil)
    }

    @Test func passiveOnlyForTheUnambiguousPattern() {
        #expect(paraphraser.passivising("The keeper counted the ships.") == "The ships were counted by the keeper.")
        #expect(paraphraser.passivising("She painted the door.") == "The door was painted by her.")
        #expect(paraphraser.passivising("Emma visited the old house.") == "The old house was visited by Emma.")
        #expect(paraphraser.passivising("He arrived the next day.") == nil)
        #expect(paraphraser.passivising("She walked to the door.") == nil)
        #expect(paraphraser.passivising("They began the work.") == nil)
    }

    @Test func splitsAndMerges() {
        #expect(paraphraser.splitting("She wrote in pencil; ink froze solid in the long winters.")
                == ["She wrote in pencil.", "Ink froze solid in the long winters."])
        #expect(paraphraser.splitting("He opened the door, and she walked into the room.")
                == ["He opened the door.", "She walked into the room."])
        #expect(paraphraser.splitting("He opened the door, and walked into the cold room.") == nil)
        #expect(paraphraser.merging("He came home.", "She was glad.", semicolon: false) == "He came home, and she was glad.")
        #expect(paraphraser.merging("He came home.", "Emma was glad.", semicolon: true) == "He came home; Emma was glad.")
        #expect(paraphraser.merging("Did he come home?", "She was glad.", semicolon: true) == nil)
    }

    @Test func dropsAtMostOneInEightAndAddsBridges() {
        let input = (1...16).map { "Sentence number \($0) stood here." }
        let strong = RuleParaphraser(lexicon: paraphraser.lexicon, strength: 1)
        var rng = SeededGenerator(seed: 3)
        let out = strong.droppingAndBridging(input, rng: &rng)
        let kept = out.filter(input.contains)
        #expect(kept.count == 14)
        #expect(kept == input.filter(kept.contains))
        let added = out.filter { !input.contains($0) }
        #expect(added.count == 1 && added.allSatisfy(RuleParaphraser.bridgingSentences.contains))
        let weak = RuleParaphraser(lexicon: paraphraser.lexicon, strength: 0.3)
        #expect(weak.droppingAndBridging(input, rng: &rng) == input)
    }

    @Test func strongParaphraseOfAustenChangesContentWordsAndKeepsSentenceCount() throws {
        let passage = try emma(words: 300)
        let strong = RuleParaphraser(lexicon: paraphraser.lexicon, strength: 0.9)
        for seed in UInt64(1)...5 {
            var rng = SeededGenerator(seed: seed)
            let out = strong.paraphrase(passage, rng: &rng)
            var remaining = [String: Int]()
            for w in contentWords(out) { remaining[w, default: 0] += 1 }
            var changed = 0
            let source = contentWords(passage)
            for w in source {
                if let n = remaining[w], n > 0 { remaining[w] = n - 1 } else { changed += 1 }
            }
            #expect(Double(changed) >= 0.4 * Double(source.count), "seed \(seed): \(changed)/\(source.count)")
            let before = Double(sentenceCount(passage)), after = Double(sentenceCount(out))
            #expect(abs(after - before) <= 0.3 * before, "seed \(seed): \(before) → \(after)")
        }
    }

    @Test func sameSeedSameOutput() throws {
        let passage = try emma(words: 200)
        var a = SeededGenerator(seed: 9), b = SeededGenerator(seed: 9), c = SeededGenerator(seed: 10)
        let first = paraphraser.paraphrase(passage, rng: &a)
        #expect(first == paraphraser.paraphrase(passage, rng: &b))
        #expect(first != paraphraser.paraphrase(passage, rng: &c))
        #expect(first != passage)
        var d = SeededGenerator(seed: 9)
        #expect(RuleParaphraser(lexicon: paraphraser.lexicon, strength: 0).paraphrase(passage, rng: &d) == passage)
    }
}
