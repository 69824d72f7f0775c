package bedrock

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/askdb/askdb/internal/llm"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
)

// TitanEmbedV2 is the Titan text embedding model Embed is written for.
const TitanEmbedV2 = "amazon.titan-embed-text-v2:0"

type titanRequest struct {
	InputText string `json:"inputText"`
	Normalize bool   `json:"normalize"`
}

type titanResponse struct {
	Embedding           []float32 `json:"embedding"`
	InputTextTokenCount int       `json:"inputTextTokenCount"`
}

// Embed returns one normalized vector per text by calling InvokeModel with
// this entry's model id, once per text (Titan embeds one text per call).
// Use a model entry whose model is TitanEmbedV2.
func (m *Model) Embed(ctx context.Context, texts []string) ([][]float32, llm.Usage, error) {
	vecs := make([][]float32, len(texts))
	var u llm.Usage
	for i, t := range texts {
		body, err := json.Marshal(titanRequest{InputText: t, Normalize: true})
		if err != nil {
			return nil, llm.Usage{}, fmt.Errorf("bedrock: encode embedding request: %w", err)
		}
		var got titanResponse
		_, err = m.policy.Do(ctx, func(ctx context.Context, id string) (*llm.Response, error) {
			out, err := m.client.InvokeModel(ctx, &bedrockruntime.InvokeModelInput{
				ModelId:     aws.String(id),
				Body:        body,
				ContentType: aws.String("application/json"),
				Accept:      aws.String("application/json"),
			})
			if err != nil {
				return nil, m.classify(id, err)
			}
			if err := json.Unmarshal(out.Body, &got); err != nil {
				return nil, &llm.Error{Provider: Kind, Model: id, Region: m.region, Kind: llm.Other, Err: err,
					Message: fmt.Sprintf("Bedrock model %q in %s answered an embedding request with an unexpected body: is it an embedding model such as %s?", id, m.region, TitanEmbedV2)}
			}
			return &llm.Response{Model: id}, nil
		})
		if err != nil {
			return nil, llm.Usage{}, err
		}
		vecs[i] = got.Embedding
		u.InputTokens += got.InputTextTokenCount
	}
	return vecs, u, nil
}
