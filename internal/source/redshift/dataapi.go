package redshift

import (
	"context"
	"errors"
)

func (s *Source) openData(ctx context.Context, _ any) error { return errors.New("todo") }
