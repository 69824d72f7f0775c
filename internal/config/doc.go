// Package config loads askdb.yaml: it expands ${VAR} and ${VAR:default}
// references from the environment, decodes strictly (an unknown key is an
// error naming the key and its line) and fills in defaults.
//
// config imports nothing from askdb; every other package may import it.
package config
