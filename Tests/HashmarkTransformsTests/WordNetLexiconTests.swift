import Foundation
import HashmarkTransforms
import Testing

/// Facts of Princeton WordNet 3.0 as Debian's `wordnet-base` ships it.
@Suite("WordNet lexicon")
struct WordNetLexiconTests {
    let lexicon: WordNetLexicon

    init() throws {
        lexicon = try WordNetLexicon.shared()
    }

    @Test func synsetsComeInSenseOrderWithTheirLemmas() throws {
        let car = lexicon.synsets(of: "car", .noun)
        #expect(car.count == 5)
        let first = try #require(car.first)
        #expect(first.lemmas == ["car", "auto", "automobile", "machine", "motorcar"])
        #expect(first.offset == 2_958_343)
        // Inflected forms reach the same synsets.
        #expect(lexicon.synsets(of: "cars", .noun) == car)
        #expect(lexicon.synsets(of: "Car", .noun).first == first)
        #expect(lexicon.synsets(of: "motor vehicle", .noun).first?.lemmas.contains("motor_vehicle") == true)
        #expect(lexicon.synsets(of: "qwertyuiop", .noun).isEmpty)
        #expect(lexicon.entry("dog", .verb)?.synsetOffsets.count == 1)
    }

    @Test func hypernymsFollowTheAtPointer() throws {
        let dog = try #require(lexicon.synsets(of: "dog", .noun).first)
        let above = lexicon.hypernyms(of: dog).flatMap(\.lemmas)
        #expect(above.contains("canine"))
        #expect(above.contains("domestic_animal"))
        let car = try #require(lexicon.synsets(of: "car", .noun).first)
        #expect(lexicon.hypernyms(of: car).flatMap(\.lemmas) == ["motor_vehicle", "automotive_vehicle"])
        // Adjective satellites point at their head with `&`.
        let huge = try #require(lexicon.synsets(of: "huge", .adjective).first)
        #expect(lexicon.similar(to: huge).flatMap(\.lemmas).contains("large"))
    }

    @Test func taggedSenseCountsAndVerbFrames() throws {
        let runVerb = try #require(lexicon.entry("run", .verb)), runNoun = try #require(lexicon.entry("run", .noun))
        #expect(runVerb.synsetOffsets.count == 41)
        #expect(runVerb.taggedSenseCount > runNoun.taggedSenseCount)
        // "kill" (cause to die) takes an object; "arrive" does not.
        let kill = try #require(lexicon.synsets(of: "kill", .verb).first)
        #expect(kill.verbFrames.contains(8) || kill.verbFrames.contains(9))
        let arrive = try #require(lexicon.synsets(of: "arrive", .verb).first)
        #expect(Set(arrive.verbFrames).isDisjoint(with: [8, 9, 10, 11]))
    }

    @Test func lemmatisationUsesExceptionsThenDetachmentRules() {
        #expect(lexicon.baseForms(of: "geese", .noun) == ["goose"])
        #expect(lexicon.baseForms(of: "ran", .verb) == ["run"])
        #expect(lexicon.baseForms(of: "running", .verb).first == "run")
        #expect(lexicon.baseForms(of: "saw", .verb).first == "see")
        #expect(lexicon.baseForms(of: "walked", .verb) == ["walk"])
        #expect(lexicon.baseForms(of: "churches", .noun) == ["church"])
        #expect(lexicon.baseForms(of: "cities", .noun) == ["city"])
        #expect(lexicon.baseForms(of: "women", .noun).first == "woman")
        #expect(lexicon.baseForms(of: "happier", .adjective) == ["happy"])
        #expect(lexicon.baseForms(of: "larger", .adjective) == ["larger", "large"])  // both are lemmas
        #expect(lexicon.baseForms(of: "walked", .noun).isEmpty)
    }

    @Test func inflectionIsDetectedAndRecreated() {
        #expect(lexicon.inflection(of: "walked", base: "walk", .verb) == .past)
        #expect(lexicon.inflection(of: "walks", base: "walk", .verb) == .thirdPerson)
        #expect(lexicon.inflection(of: "walking", base: "walk", .verb) == .gerund)
        #expect(lexicon.inflection(of: "geese", base: "goose", .noun) == .plural)
        #expect(lexicon.inflection(of: "larger", base: "large", .adjective) == nil)
        #expect(lexicon.inflect("goose", .plural, .noun) == "geese")
        #expect(lexicon.inflect("church", .plural, .noun) == "churches")
        #expect(lexicon.inflect("city", .plural, .noun) == "cities")
        #expect(lexicon.inflect("day", .plural, .noun) == "days")
        #expect(lexicon.inflect("motor_vehicle", .plural, .noun) == "motor vehicles")
        #expect(lexicon.inflect("run", .past, .verb) == "ran")
        #expect(lexicon.inflect("stop", .past, .verb) == "stopped")
        #expect(lexicon.inflect("walk", .past, .verb) == "walked")
        #expect(lexicon.inflect("carry", .past, .verb) == "carried")
        #expect(lexicon.inflect("make", .gerund, .verb) == "making")
        #expect(lexicon.inflect("die", .gerund, .verb) == "dying")
        #expect(lexicon.inflect("reach", .thirdPerson, .verb) == "reaches")
        #expect(lexicon.inflect("look_up", .past, .verb) == "looked up")
        // began or begun: unsure, so no answer.
        #expect(lexicon.inflect("begin", .past, .verb) == nil)
        #expect(lexicon.inflect("large", .plural, .adjective) == nil)
    }

    @Test func aMissingFolderIsATypedErrorNamingThePackage() throws {
        let empty = FileManager.default.temporaryDirectory.appendingPathComponent("no-wordnet-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: empty) }
        // Only some of the files: still missing.
        try Data("x 1\n".utf8).write(to: empty.appendingPathComponent("noun.exc"))
        let error = #expect(throws: TransformError.self) { try WordNetLexicon(folder: empty.path) }
        #expect(error?.code == "resource-unavailable")
        #expect(error?.message == "WordNet not found at \(empty.path): apt-get install wordnet-base")
    }

    @Test func sharedIsLoadedOnce() throws {
        let a = try WordNetLexicon.shared(), b = try WordNetLexicon.shared()
        #expect(a.folder == b.folder)
        #expect(a.folder == WordNetLexicon.defaultFolder)
    }
}
