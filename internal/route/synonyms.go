package route

import (
	"strings"

	"github.com/askdb/askdb/internal/retrieve"
)

// synonymGroups are words people use for the same thing in business and
// everyday data. A question word that no source holds is looked up here,
// and the group's other words that some source does hold stand in for
// it, at a discount: "nations" finds a country table, "vocalists" a
// singer one. Words some source holds are never replaced, so the list
// only adds evidence where there was none.
var synonymGroups = []string{
	"country nation state", "city town", "people person population inhabitant resident",
	"employee staff worker personnel", "customer client buyer shopper", "product item goods merchandise",
	"order purchase", "salary pay wage compensation earnings", "price cost fee charge", "revenue sales income turnover",
	"company firm business corporation enterprise organization organisation", "movie film picture",
	"song track tune", "singer vocalist musician artist performer", "album record", "book title volume",
	"author writer", "teacher instructor professor lecturer faculty", "student pupil learner",
	"course class subject module", "car vehicle automobile auto", "maker manufacturer producer brand",
	"airport airfield airstrip", "flight trip journey", "plane aircraft airplane", "ship vessel boat",
	"doctor physician", "patient case", "hospital clinic", "pet animal", "dog puppy hound", "cat kitten",
	"stadium arena venue ground", "concert show gig performance", "game match", "team club squad side",
	"player athlete", "coach trainer manager", "tournament competition championship contest",
	"election vote ballot poll", "building edifice", "room chamber", "address location place",
	"phone telephone mobile", "email mail", "department division unit", "manager supervisor boss head",
	"document file paper", "invoice bill", "payment transaction", "account profile", "shop store outlet",
	"restaurant eatery diner", "hotel accommodation lodging", "apartment flat", "house home residence",
	"language tongue", "river stream", "mountain peak", "film director filmmaker", "wine vintage",
	"age old", "birthday birth", "weight mass", "height tall", "founded established",
	"rating score grade", "review critique", "budget funding", "grant funding", "loan credit",
	"bank lender", "policy insurance", "claim demand", "gender sex", "nationality citizenship",
}

// synonymDiscount weighs a stand-in word below the word itself.
const synonymDiscount = 0.6

// synonyms maps a stemmed word to the stemmed words of its groups.
var synonyms = buildSynonyms(synonymGroups)

func buildSynonyms(groups []string) map[string][]string {
	out := map[string][]string{}
	for _, g := range groups {
		var stems []string
		for _, w := range strings.Fields(g) {
			stems = append(stems, retrieve.Terms(w)...)
		}
		for _, a := range stems {
			for _, b := range stems {
				if a != b {
					out[a] = append(out[a], b)
				}
			}
		}
	}
	return out
}
