package server

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"strings"
)

// decodeJSON reads one JSON object into dst, strictly: an unknown field, a
// wrong type, trailing data or a body over the cap is a 400 or 413 that
// says what is wrong.
func decodeJSON(w http.ResponseWriter, r *http.Request, max int64, dst any) *statusError {
	if ct := r.Header.Get("Content-Type"); ct != "" && !strings.HasPrefix(ct, "application/json") {
		return &statusError{status: http.StatusUnsupportedMediaType, code: "unsupported_media_type", msg: fmt.Sprintf("Content-Type %q: send application/json (with curl: -H 'Content-Type: application/json'); other types are refused so that a web form on another site cannot post to askdb", ct)}
	}
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, max))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return decodeError(err, max)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return &statusError{status: http.StatusBadRequest, code: "bad_json", msg: "the body must hold exactly one JSON object"}
	}
	return nil
}

func decodeError(err error, max int64) *statusError {
	var tooBig *http.MaxBytesError
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	bad := func(code, msg string) *statusError {
		return &statusError{status: http.StatusBadRequest, code: code, msg: msg}
	}
	switch {
	case errors.As(err, &tooBig):
		return &statusError{status: http.StatusRequestEntityTooLarge, code: "body_too_large", msg: fmt.Sprintf("the body is larger than %d bytes", max)}
	case errors.Is(err, io.EOF):
		return bad("bad_json", "the body is empty: send a JSON object")
	case errors.As(err, &syn), errors.Is(err, io.ErrUnexpectedEOF):
		return bad("bad_json", "the body is not valid JSON: "+err.Error())
	case errors.As(err, &typ) && typ.Field == "":
		return bad("bad_json", fmt.Sprintf("the body must be a JSON object, not %s", typ.Value))
	case errors.As(err, &typ):
		return bad("bad_field", fmt.Sprintf("field %q must be %s, not %s", typ.Field, jsonKind(typ.Type.Kind()), typ.Value))
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		field := strings.TrimPrefix(err.Error(), "json: unknown field ")
		return bad("unknown_field", "unknown field "+field+" in the request body")
	}
	return bad("bad_json", "the body could not be read: "+err.Error())
}

// jsonKind names a Go kind the way a JSON client thinks of it.
func jsonKind(k reflect.Kind) string {
	switch k {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Slice, reflect.Array:
		return "an array"
	case reflect.Map, reflect.Struct:
		return "an object"
	}
	return "a number"
}
