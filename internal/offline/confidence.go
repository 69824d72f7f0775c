package offline

import "fmt"

// Confidence scale. An answer starts at confidenceFull and is capped by
// the weakest inference it needed:
//
//	0.90  every content word named a table, column, stored value or
//	      grammar word exactly, and every choice was forced
//	0.80  a plain listing: SELECT * guesses which columns are wanted
//	0.85  a value derived by a fixed rule (capDerived): an age in whole
//	      years from a birth date
//	0.80  a join path chosen among several because it goes through a link
//	      table (capLinkPath): "employees on project 3" through
//	      project_members rather than through their department
//	0.75  a guess the reader should check (capGuess): a word read through an
//	      alias or a negating prefix, a column implied by a grammar word
//	      (age from a birth date, the money column of "spent")
//	0.70  a choice among alternatives (capChoice): a join path picked among
//	      several, a column or value found in several tables, grouping by a
//	      name with no key
//
// The pipeline trusts answers at 0.8 or more without asking a model, so
// only the first two levels are trusted.
const (
	confidenceFull    = 0.9
	confidenceListing = 0.8
	capDerived        = 0.85
	capLinkPath       = 0.8
	capGuess          = 0.75
	capChoice         = 0.7
)

// doubt is one inference that lowers the confidence of an answer.
type doubt struct {
	cap float64
	why string
}

func (a *analyzer) doubt(cap float64, format string, args ...any) {
	a.doubts = append(a.doubts, doubt{cap: cap, why: fmt.Sprintf(format, args...)})
}

// confidence is the answer's confidence given its doubts.
func confidence(base float64, ds []doubt) float64 {
	c := base
	for _, d := range ds {
		c = min(c, d.cap)
	}
	return c
}
