// Package awslambda runs askdb as an AWS Lambda function. One handler
// serves API Gateway REST (payload 1.0), HTTP API (payload 2.0) and Lambda
// function URL events by mapping them onto the same http.Handler as
// askdb serve, and Amazon Bedrock Agent action-group events (both the
// function-details and the OpenAPI-schema formats) with the functions
// generate-sql, execute-sql and ask. Database credentials can come from
// AWS Secrets Manager: a source's secret: is read by package secret and
// merged by the source's kind when the source opens, as under every
// other command.
//
// awslambda must not import cli.
package awslambda
