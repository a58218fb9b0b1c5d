import HashmarkDocument
import HashmarkReport
import Testing

@Suite struct DocumentTypesTests {
    @Test func locationOfByteFindsTheSectionThatHoldsIt() {
        let doc = ExtractedDocument(format: .pdf, text: "one\n\ntwo\n\nthree", sections: [
            .init(offset: 0, length: 3, location: DocumentLocation(page: 1)),
            .init(offset: 5, length: 3, location: DocumentLocation(page: 2)),
            .init(offset: 10, length: 5, location: DocumentLocation(page: 3)),
        ], extractor: "test")
        #expect(doc.location(ofByte: 0)?.page == 1)
        #expect(doc.location(ofByte: 4)?.page == 1)
        #expect(doc.location(ofByte: 5)?.page == 2)
        #expect(doc.location(ofByte: 14)?.page == 3)
        #expect(ExtractedDocument(format: .docx, text: "", sections: [], extractor: "t").location(ofByte: 0) == nil)
    }

    @Test func locationsDescribeThemselvesForPeople() {
        #expect(DocumentLocation(page: 3).description == "page 3")
        #expect(DocumentLocation(chapter: 2, entry: "OEBPS/ch2.xhtml", paragraph: 14).description
                == "chapter 2 (OEBPS/ch2.xhtml), paragraph 14")
        #expect(DocumentLocation(paragraph: 7).description == "paragraph 7")
    }
}
